"""Zero-shot classification (CLIP) page strings, and the label/template errors both CLIP pages share."""

ES = {
    "zero_shot.nav": "Clasificación zero-shot (CLIP)",
    "zero_shot.title": "Clasificación zero-shot con CLIP",
    "zero_shot.intro": (
        "Escribe tus propias etiquetas y CLIP elige la que mejor describe la foto, sin haber sido entrenado con ellas."
    ),
    "zero_shot.how": (
        "**Zero-shot, few-shot y transfer learning.** En *transfer learning* reutilizamos un modelo ya "
        "entrenado y lo reentrenamos (*fine-tuning*) con muchos ejemplos de nuestras clases. En "
        "*few-shot* bastan unos pocos ejemplos por clase. En **zero-shot** no hay ningún ejemplo: las "
        "clases se describen solo con palabras, y el modelo nunca se ha entrenado con ellas.\n\n"
        "**Un espacio de embeddings compartido.** CLIP (OpenAI, 2021) se entrenó con 400 millones de "
        "pares imagen–pie de foto sacados de internet (el CLIP de LAION, con 2000 millones del conjunto "
        "abierto LAION-2B). Tiene dos codificadores: uno convierte la imagen en un vector y otro "
        "convierte un texto en un vector del mismo espacio (512 números). El entrenamiento acerca los "
        "vectores de cada foto y su pie de foto y aleja los que no van juntos.\n\n"
        "**Similitud del coseno.** Para clasificar, cada etiqueta se convierte en una frase con la "
        "**plantilla** (`a photo of a {}` → `a photo of a cat`) y se compara con la imagen mediante el "
        "coseno del ángulo entre sus vectores: 1 = misma dirección, 0 = nada que ver. La plantilla "
        "importa porque CLIP aprendió de frases, no de palabras sueltas.\n\n"
        "**Softmax sobre tus etiquetas.** Los cosenos se multiplican por una temperatura aprendida "
        "(×100) y la función softmax los convierte en probabilidades que suman 1 **entre las etiquetas "
        "que has escrito**. Por eso, si añades o quitas una etiqueta, cambian todas las puntuaciones: "
        "el 90 % de «cat» significa «cat es mucho más probable que las otras opciones», no «seguro al "
        "90 % de que es un gato». Activa «Ver cosenos» para ver los números sin softmax: "
        "esos no cambian al añadir etiquetas.\n\n"
        "**CLIP aprendió en inglés.** Casi todos sus pies de foto estaban en inglés, así que «fox» "
        "funciona mucho mejor que «zorro», y «gato» peor que «cat». Pruébalo con los ejemplos de "
        "etiquetas en inglés y en español. CLIP lee como mucho 77 *tokens* por frase."
    ),
    "zero_shot.labels": "Etiquetas (separadas por comas o por líneas)",
    "zero_shot.labels_help": (
        "De 2 a {max} etiquetas distintas, de hasta {chars} caracteres cada una. Se quitan los espacios "
        "de los extremos y las repetidas (sin distinguir mayúsculas). CLIP entiende mejor el inglés."
    ),
    "zero_shot.default_labels": "cat, dog, car, tree, person",
    "zero_shot.examples": "Ejemplos de etiquetas",
    "zero_shot.example_en": "Animales en inglés",
    "zero_shot.example_es": "Los mismos en español",
    "zero_shot.example_mix": "zorro frente a fox",
    "zero_shot.template": "Plantilla de la frase",
    "zero_shot.template_help": (
        "Cada etiqueta se coloca en el hueco {} para formar una frase: con «a photo of a {}» la "
        "etiqueta «cat» se convierte en «a photo of a cat». Debe tener exactamente un {}. "
        "Usa «{}» solo si tus etiquetas ya son frases completas."
    ),
    "zero_shot.template_caption": "{n:La frase|Las # frases} que recibe CLIP:",
    "zero_shot.cosine": "Ver cosenos (sin softmax)",
    "zero_shot.cosine_help": "Los números que compara CLIP antes de la softmax: no dependen de las demás etiquetas.",
    "zero_shot.compare": "Comparar OpenAI y LAION",
    "zero_shot.compare_help": "Las mismas etiquetas y la misma foto con los dos CLIP, lado a lado.",
    "zero_shot.top": "Etiqueta más probable",
    "zero_shot.top_score": "Probabilidad de la etiqueta más probable",
    "zero_shot.chart_title": "Probabilidad (softmax sobre {n:# etiqueta|# etiquetas})",
    "zero_shot.cosine_title": "Similitud del coseno",
    "zero_shot.col_rank": "#",
    "zero_shot.col_label": "Etiqueta",
    "zero_shot.col_score": "Probabilidad",
    "zero_shot.col_cosine": "Coseno",
    "zero_shot.annotated": "La foto con la etiqueta ganadora",
    "zero_shot.compare_table": "Las dos a la vez",
    "zero_shot.truncated": (
        "{n:# frase supera|# frases superan} los 77 tokens que lee CLIP: se ha usado solo su principio. "
        "Acorta {n:esa etiqueta|esas etiquetas}."
    ),
    "zero_shot.memory": "Los dos CLIP ocupan unos {mb:.0f} MB en memoria.",
    "errors.clip_labels_type": "Las etiquetas deben ser texto.",
    "errors.clip_no_labels": "No hay etiquetas: escribe al menos {min}, separadas por comas o por líneas.",
    "errors.clip_too_few_labels": (
        "Hacen falta al menos {min} etiquetas distintas (las puntuaciones las comparan entre sí); hay {got}."
    ),
    "errors.clip_too_many_labels": "Como mucho {max} etiquetas; has escrito {got} distintas.",
    "errors.clip_label_too_long": (
        "Cada etiqueta puede tener como mucho {max} caracteres; la etiqueta n.º {index} tiene {got}."
    ),
    "errors.clip_input_too_long": "El texto de las etiquetas puede tener como mucho {max} caracteres; tiene {got}.",
    "errors.clip_template_type": "La plantilla debe ser texto.",
    "errors.clip_template_too_long": "La plantilla puede tener como mucho {max} caracteres; tiene {got}.",
    "errors.clip_template_placeholder": (
        "La plantilla necesita exactamente un {{}} donde va la etiqueta (y ninguna otra llave); tiene {got}."
    ),
    "errors.clip_no_images": "Hace falta al menos una imagen.",
    "errors.clip_too_many_images": "Como mucho {max} imágenes a la vez; hay {got}.",
    "errors.clip_bad_image": "Una de las entradas no es una imagen.",
    "errors.clip_bad_table": (
        "La tabla de probabilidades no cuadra: debe tener una fila por imagen y una columna por descripción."
    ),
}

EN = {
    "zero_shot.nav": "Zero-shot classification (CLIP)",
    "zero_shot.title": "Zero-shot classification with CLIP",
    "zero_shot.intro": (
        "Type your own labels and CLIP picks the one that best describes the photo, without ever being trained on them."
    ),
    "zero_shot.how": (
        "**Zero-shot, few-shot and transfer learning.** In *transfer learning* we reuse a trained model "
        "and retrain it (*fine-tuning*) with many examples of our classes. In *few-shot* a few examples "
        "per class are enough. In **zero-shot** there are no examples at all: the classes are described "
        "only with words, and the model was never trained on them.\n\n"
        "**A shared embedding space.** CLIP (OpenAI, 2021) was trained on 400 million image–caption pairs "
        "from the internet (LAION's CLIP on 2 billion from the open LAION-2B set). It has two encoders: "
        "one turns the image into a vector, the other turns a text into a vector of the same space (512 "
        "numbers). Training pulls each photo and its caption together and pushes apart those that do not "
        "belong together.\n\n"
        "**Cosine similarity.** To classify, each label becomes a sentence through the **template** "
        "(`a photo of a {}` → `a photo of a cat`) and is compared with the image by the cosine of the "
        "angle between their vectors: 1 = same direction, 0 = unrelated. The template matters because "
        "CLIP learnt from sentences, not single words.\n\n"
        "**Softmax over your labels.** The cosines are multiplied by a learnt temperature (×100) and the "
        "softmax function turns them into probabilities that add up to 1 **among the labels you typed**. "
        "So adding or removing a label changes every score: 90 % for «cat» means «cat is much more likely "
        "than the other options», not «90 % sure it is a cat». Turn on «Show cosines» to see "
        "the numbers before the softmax: those do not change when you add labels.\n\n"
        "**CLIP learnt in English.** Almost all its captions were English, so «fox» works much better than "
        "the Spanish «zorro», and «gato» worse than «cat». Try it with the English and Spanish label "
        "examples. CLIP reads at most 77 *tokens* per sentence."
    ),
    "zero_shot.labels": "Labels (separated by commas or lines)",
    "zero_shot.labels_help": (
        "2 to {max} different labels, up to {chars} characters each. Surrounding spaces and repeated "
        "labels (ignoring case) are removed. CLIP understands English best."
    ),
    "zero_shot.default_labels": "cat, dog, car, tree, person",
    "zero_shot.examples": "Label examples",
    "zero_shot.example_en": "Animals in English",
    "zero_shot.example_es": "The same in Spanish",
    "zero_shot.example_mix": "zorro versus fox",
    "zero_shot.template": "Sentence template",
    "zero_shot.template_help": (
        "Each label goes into the {} slot to make a sentence: with «a photo of a {}» the label «cat» "
        "becomes «a photo of a cat». It must have exactly one {}. Use «{}» alone only if your labels "
        "are already full sentences."
    ),
    "zero_shot.template_caption": "{n:The sentence|The # sentences} CLIP receives:",
    "zero_shot.cosine": "Show cosines (no softmax)",
    "zero_shot.cosine_help": "The numbers CLIP compares before the softmax: they do not depend on the other labels.",
    "zero_shot.compare": "Compare OpenAI and LAION",
    "zero_shot.compare_help": "The same labels and photo through both CLIPs, side by side.",
    "zero_shot.top": "Most likely label",
    "zero_shot.top_score": "Probability of the most likely label",
    "zero_shot.chart_title": "Probability (softmax over {n:# label|# labels})",
    "zero_shot.cosine_title": "Cosine similarity",
    "zero_shot.col_rank": "#",
    "zero_shot.col_label": "Label",
    "zero_shot.col_score": "Probability",
    "zero_shot.col_cosine": "Cosine",
    "zero_shot.annotated": "The photo with the winning label",
    "zero_shot.compare_table": "Both at once",
    "zero_shot.truncated": (
        "{n:# sentence is|# sentences are} longer than the 77 tokens CLIP reads: only {n:its|their} beginning was "
        "used. Shorten {n:that label|those labels}."
    ),
    "zero_shot.memory": "Both CLIPs take about {mb:.0f} MB of memory.",
    "errors.clip_labels_type": "The labels must be text.",
    "errors.clip_no_labels": "No labels: write at least {min}, separated by commas or new lines.",
    "errors.clip_too_few_labels": "At least {min} different labels are needed (the scores compare them); got {got}.",
    "errors.clip_too_many_labels": "At most {max} labels; you wrote {got} different ones.",
    "errors.clip_label_too_long": "Each label can have at most {max} characters; label no. {index} has {got}.",
    "errors.clip_input_too_long": "The labels text can have at most {max} characters; it has {got}.",
    "errors.clip_template_type": "The template must be text.",
    "errors.clip_template_too_long": "The template can have at most {max} characters; it has {got}.",
    "errors.clip_template_placeholder": (
        "The template needs exactly one {{}} where the label goes (and no other braces); it has {got}."
    ),
    "errors.clip_no_images": "At least one image is needed.",
    "errors.clip_too_many_images": "At most {max} images at once; got {got}.",
    "errors.clip_bad_image": "One of the inputs is not an image.",
    "errors.clip_bad_table": "The probability table does not add up: it needs a row per image and a column per description.",
}
