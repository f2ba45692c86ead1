"""CLIP workshop page strings (the label errors live in ui/strings/zero_shot.py)."""

ES = {
    "clip_workshop.nav": "Taller CLIP",
    "clip_workshop.title": "Taller CLIP: muchas imágenes × muchas descripciones",
    "clip_workshop.intro": (
        "El taller del curso: varias imágenes frente a varias descripciones en una tabla de probabilidades."
    ),
    "clip_workshop.how": (
        "**La tabla.** Cada fila es una imagen y cada columna una descripción. CLIP convierte cada imagen "
        "y cada descripción en un vector del mismo espacio; la celda es la **similitud del coseno** de ese "
        "par, multiplicada por la temperatura del modelo (×100) y pasada por una **softmax por filas**: "
        "cada fila suma 1 y su máximo es la descripción que CLIP elige para esa imagen. Las columnas no "
        "suman 1: una descripción puede encajar con varias imágenes o con ninguna.\n\n"
        "**En lote.** Las descripciones se codifican una sola vez, todas juntas, y las imágenes en lotes "
        "(hasta 16 por pasada): 5 imágenes × 5 descripciones son una pasada del codificador de imagen y "
        "otra del de texto, no 25 llamadas al modelo.\n\n"
        "**Reutilizar embeddings.** El vector de una imagen no depende de las descripciones (ni al "
        "revés). Por eso la app guarda los vectores ya calculados: si cambias solo las descripciones, "
        "las imágenes no se vuelven a procesar; si añades una imagen, solo se procesa esa. Debajo de la "
        "tabla verás cuántos vectores se han calculado y cuántos se han reutilizado.\n\n"
        "**Para pensar.** Escribe descripciones en español y en inglés, o una que no encaje con ninguna "
        "imagen: la softmax la repartirá igualmente entre las opciones que le des."
    ),
    "clip_workshop.descriptions": "Descripciones (separadas por comas o por líneas)",
    "clip_workshop.descriptions_help": (
        "De 2 a {max} descripciones distintas, de hasta {chars} caracteres. CLIP las lee tal cual (sin plantilla)."
    ),
    "clip_workshop.default_descriptions": "a cat, a dog, a car, a tree, a person",
    "clip_workshop.samples": "Fotos de ejemplo (scikit-image)",
    "clip_workshop.uploads": "Sube tus imágenes",
    "clip_workshop.uploads_help": "Puedes subir varias a la vez. JPEG, PNG, WebP, BMP, GIF o TIFF, hasta 20 MB.",
    "clip_workshop.bad_file": "Se ha omitido el archivo n.º {n}:",
    "clip_workshop.need_images": "Elige alguna foto de ejemplo o sube imágenes para empezar.",
    "clip_workshop.too_many": "Hay {got} imágenes; se usan las {max} primeras.",
    "clip_workshop.table": "Probabilidades (filas: imágenes; columnas: descripciones)",
    "clip_workshop.heatmap": "Mapa de calor de probabilidades",
    "clip_workshop.predictions": "Descripción elegida para cada imagen",
    "clip_workshop.gallery": "Cada imagen con su predicción",
    "clip_workshop.col_image": "Imagen",
    "clip_workshop.col_prediction": "Descripción elegida",
    "clip_workshop.col_probability": "Probabilidad",
    "clip_workshop.stats": (
        "{ms:.0f} ms · imágenes: {img_new:# calculada|# calculadas} en {img_passes:# pasada|# pasadas}, "
        "{img_hits:# reutilizada|# reutilizadas} · descripciones: {txt_new:# calculada|# calculadas} en "
        "{txt_passes:# pasada|# pasadas}, {txt_hits:# reutilizada|# reutilizadas}"
    ),
}

EN = {
    "clip_workshop.nav": "CLIP workshop",
    "clip_workshop.title": "CLIP workshop: many images × many descriptions",
    "clip_workshop.intro": "The course workshop: several images against several descriptions in one probability table.",
    "clip_workshop.how": (
        "**The table.** Each row is an image and each column a description. CLIP turns every image and "
        "every description into a vector of the same space; the cell is the **cosine similarity** of that "
        "pair, multiplied by the model's temperature (×100) and put through a **softmax per row**: each row "
        "adds up to 1 and its maximum is the description CLIP picks for that image. Columns do not add up "
        "to 1: a description may fit several images, or none.\n\n"
        "**In batches.** The descriptions are encoded once, all together, and the images in batches (up to "
        "16 per pass): 5 images × 5 descriptions are one pass of the image encoder and one of the text "
        "encoder, not 25 model calls.\n\n"
        "**Reusing embeddings.** An image's vector does not depend on the descriptions (nor the other way "
        "round). So the app keeps the vectors it has computed: change only the descriptions and the images "
        "are not processed again; add an image and only that one is. Below the table you can see how many "
        "vectors were computed and how many reused.\n\n"
        "**Think about it.** Write descriptions in Spanish and in English, or one that fits no image: the "
        "softmax still shares the probability among the options you give it."
    ),
    "clip_workshop.descriptions": "Descriptions (separated by commas or lines)",
    "clip_workshop.descriptions_help": (
        "2 to {max} different descriptions, up to {chars} characters. CLIP reads them as they are (no template)."
    ),
    "clip_workshop.default_descriptions": "a cat, a dog, a car, a tree, a person",
    "clip_workshop.samples": "Sample photos (scikit-image)",
    "clip_workshop.uploads": "Upload your images",
    "clip_workshop.uploads_help": "You can upload several at once. JPEG, PNG, WebP, BMP, GIF or TIFF, up to 20 MB.",
    "clip_workshop.bad_file": "File no. {n} was skipped:",
    "clip_workshop.need_images": "Pick some sample photos or upload images to start.",
    "clip_workshop.too_many": "There are {got} images; the first {max} are used.",
    "clip_workshop.table": "Probabilities (rows: images; columns: descriptions)",
    "clip_workshop.heatmap": "Probability heatmap",
    "clip_workshop.predictions": "The description picked for each image",
    "clip_workshop.gallery": "Each image with its prediction",
    "clip_workshop.col_image": "Image",
    "clip_workshop.col_prediction": "Picked description",
    "clip_workshop.col_probability": "Probability",
    "clip_workshop.stats": (
        "{ms:.0f} ms · images: {img_new} computed in {img_passes:# pass|# passes}, {img_hits} reused · "
        "descriptions: {txt_new} computed in {txt_passes:# pass|# passes}, {txt_hits} reused"
    ),
}
