"""Image-segmentation page strings."""

ES = {
    "segmentation.nav": "Segmentación",
    "segmentation.title": "Segmentación de imágenes",
    "segmentation.intro": (
        "Un modelo etiqueta cada píxel de la foto (SegFormer, 150 clases de ADE20K) o cada objeto "
        "(YOLO11n-seg, 80 clases de COCO). Elige una etiqueta para ver su máscara y recortarla."
    ),
    "segmentation.how": (
        "**Segmentación semántica** (SegFormer): el modelo da una clase a **cada píxel**. Un "
        "*Transformer* mira la foto reducida a 512×512 y produce, para cada zona de 4×4 píxeles, una "
        "puntuación por cada una de las 150 clases de ADE20K (pared, cielo, persona, coche...). Esas "
        "puntuaciones se amplían al tamaño de la foto y cada píxel se queda con la clase de mayor "
        "puntuación. Por eso los porcentajes de todas las etiquetas **suman el 100 %**.\n\n"
        "**Segmentación de instancias** (YOLO11n-seg): el modelo busca **objetos** (80 clases de "
        "COCO) y da una máscara para cada uno: dos personas son dos máscaras. El fondo no es una "
        "clase, así que los porcentajes no suman el 100 %.\n\n"
        "**Una máscara** es una imagen en blanco y negro del tamaño de la foto: blanco (255) donde "
        "está la etiqueta, negro (0) en el resto. El *pipeline* de Hugging Face devuelve una por "
        "etiqueta: `{'label': 'person', 'mask': <imagen L>}`.\n\n"
        "**¿Por qué se invierte la máscara?** Para quedarnos con la etiqueta y borrar todo lo demás "
        "hay que pintar de blanco *el resto* de la foto. `ImageOps.invert(mascara)` da la vuelta a "
        "la máscara: ahora el resto vale 255 y la etiqueta 0. Pegamos esa máscara invertida sobre la "
        "foto usándola a la vez como imagen y como máscara de pegado: donde vale 255 se pega blanco, "
        "donde vale 0 no se toca la foto. Para un **recorte con transparencia** se usa la máscara "
        "sin invertir como canal alfa (`putalpha`): opaco en la etiqueta, transparente fuera."
    ),
    "segmentation.opacity": "Opacidad de los colores",
    "segmentation.opacity_help": "0 = solo la foto, 1 = solo los colores de los segmentos.",
    "segmentation.resized": "La foto mide {width}×{height} píxeles; se segmenta una copia de {w}×{h}.",
    "segmentation.all_segments": "Todos los segmentos",
    "segmentation.kind_semantic": "Segmentación semántica: cada píxel tiene una etiqueta; los porcentajes suman 100 %.",
    "segmentation.kind_instance": (
        "Segmentación de instancias: una máscara por objeto (con borde blanco); el {uncovered} de la "
        "foto no pertenece a ningún objeto."
    ),
    "segmentation.overlay_caption": "Segmentos sobre la foto (opacidad {opacity:.0%})",
    "segmentation.found_n": "Etiquetas encontradas: {n}",
    "segmentation.legend": "Leyenda",
    "segmentation.col_color": "Color",
    "segmentation.col_label": "Etiqueta",
    "segmentation.col_share": "Parte de la imagen",
    "segmentation.col_segments": "Segmentos",
    "segmentation.chart_title": "Parte de la imagen de cada etiqueta",
    "segmentation.chart_x": "parte de la imagen",
    "segmentation.nothing_found": (
        "El modelo no ha encontrado ningún objeto en esta foto (confianza mínima 25 %). Prueba otra foto u otro modelo."
    ),
    "segmentation.choose": "Elige una etiqueta",
    "segmentation.pick": "Etiquetas encontradas",
    "segmentation.type": "…o escribe una etiqueta (en inglés)",
    "segmentation.type_help": "Como en el ejercicio del curso: no distingue mayúsculas. Si escribes algo, manda sobre la lista.",
    "segmentation.type_placeholder": "person",
    "segmentation.found": "«{label}» ocupa el {share} de la imagen ({n:# segmento|# segmentos}).",
    "segmentation.not_in_image": "«{label}» no aparece en esta imagen (el modelo sí conoce esa clase).",
    "segmentation.present": "En esta imagen aparece: {labels}",
    "segmentation.present_none": "En esta imagen el modelo no ha encontrado nada.",
    "segmentation.unknown": "El modelo {model} no conoce «{label}»: {n:no es su única clase|no es una de sus # clases}.",
    "segmentation.known_classes": "{n:La única clase|Las # clases} que conoce el modelo",
    "segmentation.col_id": "id",
    "segmentation.mask": "Máscara",
    "segmentation.mask_caption": "Blanco = «{label}», negro = el resto",
    "segmentation.inverted": "Vista invertida",
    "segmentation.inverted_caption": "Máscara invertida pegada en blanco: solo queda «{label}»",
    "segmentation.cutout": "Recorte con transparencia",
    "segmentation.cutout_caption": "PNG con canal alfa: fuera de «{label}», transparente",
    "segmentation.download_mask": "Descargar máscara",
    "segmentation.download_inverted": "Descargar vista",
    "segmentation.download_cutout": "Descargar recorte",
    "segmentation.others": "{n:Otra etiqueta|Otras # etiquetas}",
    "segmentation.all_labels": "{n:La etiqueta encontrada|Las # etiquetas encontradas}, con su parte de la imagen",
    "errors.bad_legend": "La leyenda necesita al menos una fila.",
    "errors.bad_mask": "La máscara no encaja con la imagen: debe ser un mapa de 2 dimensiones del mismo tamaño que la foto.",
    "errors.bad_label_id": "El modelo ha devuelto un número de clase que no está entre sus etiquetas.",
    "errors.bad_opacity": "La opacidad debe estar entre 0 y 1.",
}

EN = {
    "segmentation.nav": "Segmentation",
    "segmentation.title": "Image segmentation",
    "segmentation.intro": (
        "A model labels every pixel of the photo (SegFormer, 150 ADE20K classes) or every object "
        "(YOLO11n-seg, 80 COCO classes). Pick a label to see its mask and cut it out."
    ),
    "segmentation.how": (
        "**Semantic segmentation** (SegFormer): the model gives **every pixel** a class. A "
        "*Transformer* looks at the photo shrunk to 512×512 and outputs, for each 4×4-pixel patch, a "
        "score for each of ADE20K's 150 classes (wall, sky, person, car...). Those scores are scaled "
        "up to the photo's size and each pixel takes the class with the highest score. That is why "
        "the shares of all labels **add up to 100%**.\n\n"
        "**Instance segmentation** (YOLO11n-seg): the model looks for **objects** (80 COCO classes) "
        "and gives a mask for each one: two people are two masks. The background is not a class, so "
        "the shares do not add up to 100%.\n\n"
        "**A mask** is a black-and-white image the size of the photo: white (255) where the label "
        "is, black (0) elsewhere. The Hugging Face *pipeline* returns one per label: "
        "`{'label': 'person', 'mask': <L image>}`.\n\n"
        "**Why is the mask inverted?** To keep the label and erase everything else, *the rest* of "
        "the photo must be painted white. `ImageOps.invert(mask)` flips the mask: now the rest is "
        "255 and the label 0. Pasting that inverted mask onto the photo, using it both as the image "
        "and as the paste mask, pastes white where it is 255 and leaves the photo alone where it is "
        "0. For a **cut-out with transparency**, the mask (not inverted) becomes the alpha channel "
        "(`putalpha`): opaque on the label, transparent outside."
    ),
    "segmentation.opacity": "Colour opacity",
    "segmentation.opacity_help": "0 = only the photo, 1 = only the segment colours.",
    "segmentation.resized": "The photo is {width}×{height} pixels; a {w}×{h} copy is segmented.",
    "segmentation.all_segments": "All segments",
    "segmentation.kind_semantic": "Semantic segmentation: every pixel has a label; the shares add up to 100%.",
    "segmentation.kind_instance": (
        "Instance segmentation: one mask per object (white outline); {uncovered} of the photo belongs to no object."
    ),
    "segmentation.overlay_caption": "Segments over the photo (opacity {opacity:.0%})",
    "segmentation.found_n": "Labels found: {n}",
    "segmentation.legend": "Legend",
    "segmentation.col_color": "Colour",
    "segmentation.col_label": "Label",
    "segmentation.col_share": "Share of the image",
    "segmentation.col_segments": "Segments",
    "segmentation.chart_title": "Each label's share of the image",
    "segmentation.chart_x": "share of the image",
    "segmentation.nothing_found": (
        "The model found no object in this photo (minimum confidence 25%). Try another photo or another model."
    ),
    "segmentation.choose": "Choose a label",
    "segmentation.pick": "Labels found",
    "segmentation.type": "…or type a label",
    "segmentation.type_help": "As in the course exercise: case-insensitive. What you type wins over the list.",
    "segmentation.type_placeholder": "person",
    "segmentation.found": "“{label}” covers {share} of the image ({n:# segment|# segments}).",
    "segmentation.not_in_image": "“{label}” is not in this image (the model does know that class).",
    "segmentation.present": "This image has: {labels}",
    "segmentation.present_none": "The model found nothing in this image.",
    "segmentation.unknown": "The model {model} does not know “{label}”: {n:it is not its only class|it is not one of its # classes}.",
    "segmentation.known_classes": "{n:The only class|The # classes} the model knows",
    "segmentation.col_id": "id",
    "segmentation.mask": "Mask",
    "segmentation.mask_caption": "White = “{label}”, black = the rest",
    "segmentation.inverted": "Inverted view",
    "segmentation.inverted_caption": "Inverted mask pasted in white: only “{label}” is left",
    "segmentation.cutout": "Cut-out with transparency",
    "segmentation.cutout_caption": "PNG with an alpha channel: transparent outside “{label}”",
    "segmentation.download_mask": "Download mask",
    "segmentation.download_inverted": "Download view",
    "segmentation.download_cutout": "Download cut-out",
    "segmentation.others": "{n:# other label|# other labels}",
    "segmentation.all_labels": "{n:The label found|All # labels found}, with their share of the image",
    "errors.bad_legend": "The legend needs at least one row.",
    "errors.bad_mask": "The mask does not fit the image: it must be a 2-D map the same size as the photo.",
    "errors.bad_label_id": "The model returned a class number that is not one of its labels.",
    "errors.bad_opacity": "The opacity must be between 0 and 1.",
}
