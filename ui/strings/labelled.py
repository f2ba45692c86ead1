"""Strings of the "accuracy on your labelled photos" section (classification and zero-shot pages)
and the refusals of a labelled zip."""

ES = {
    "labelled.section": "Precisión en tus fotos etiquetadas",
    "labelled.intro": (
        "Sube un zip con **una carpeta por clase** (`gato/1.jpg`, `perro/2.jpg`…; los nombres de las carpetas son "
        "las clases, en español o en inglés) y mide cuántas fotos acierta cada modelo. Un clasificador "
        "supervisado solo conoce las 1000 clases de ImageNet con las que se entrenó: cada carpeta se traduce a "
        "esas clases. CLIP, en cambio, elige entre los nombres de tus carpetas, que nunca ha visto como clases."
    ),
    "labelled.upload": "Zip con una carpeta por clase",
    "labelled.upload_help": (
        "De {min} a {max_classes} carpetas, hasta {max_photos} fotos en total (JPEG, PNG…). Nada más en el zip: "
        "ni otros archivos ni zips dentro."
    ),
    "labelled.sample": "Usar el conjunto de ejemplo",
    "labelled.sample_help": (
        "Cinco clases de tres fotos (la foto, su reflejo y un recorte) hechas con las fotos de ejemplo de la app."
    ),
    "labelled.sample_clear": "Quitar el conjunto de ejemplo",
    "labelled.loaded": "{name}: {n:# foto|# fotos} en {k:# clase|# clases}.",
    "labelled.sample_name": "conjunto de ejemplo",
    "labelled.mapping": "Qué clases de ImageNet cuentan como cada carpeta",
    "labelled.mapping_help": (
        "Sugerido a partir del nombre de la carpeta (p. ej. «gato» → las 5 clases de gato de ImageNet). Cámbialo: "
        "una predicción que no está en ninguna carpeta cuenta como «otra» (un fallo)."
    ),
    "labelled.mapping_none": "ninguna: sus fotos contarán como fallos",
    "labelled.run": "Medir la precisión",
    "labelled.running": "{model}: foto {i} de {n}",
    "labelled.accuracy": "Precisión por modelo",
    "labelled.per_class": "Por clase · {model}",
    "labelled.confusion": "Matriz de confusión · {model}",
    "labelled.confusion_caption": (
        "Filas: la clase real (la carpeta). Columnas: lo que dijo el modelo. Cada casilla cuenta fotos; el color "
        "es la fracción de la fila. La diagonal son los aciertos."
    ),
    "labelled.joint": "Supervisado frente a zero-shot (lo medido en esta sesión)",
    "labelled.joint_caption": "Las mismas fotos ({name}) en las dos páginas: clasificación y zero-shot.",
    "labelled.joint_empty": "Mide la precisión aquí y en la otra página para compararlas en esta tabla.",
    "labelled.other": "otra",
    "labelled.no_top5": "—",
    "labelled.col_model": "Modelo",
    "labelled.col_kind": "Tipo",
    "labelled.col_images": "Fotos",
    "labelled.col_top1": "Top-1",
    "labelled.col_top5": "Top-5",
    "labelled.col_s_image": "s por foto",
    "labelled.col_class": "Clase",
    "labelled.col_correct": "Aciertos",
    "labelled.kind_supervised": "supervisado",
    "labelled.kind_zero-shot": "sin entrenamiento (zero-shot)",
    "labelled.zero_shot_labels": "Las etiquetas de CLIP son los nombres de las carpetas, con la plantilla de arriba:",
    "labelled.need_models": "Elige al menos un modelo arriba.",
    "labelled.top5_note": "Top-5 de CLIP solo tiene sentido con 5 clases o más.",
    "errors.labelled_nested_archive": "{name} es un archivo comprimido dentro del zip: se esperaban fotos en carpetas, no zips.",
    "errors.labelled_not_image": "{name} no es una foto (JPEG, PNG…): las carpetas de clases solo pueden tener fotos.",
    "errors.labelled_no_classes": "El zip no tiene fotos en carpetas de clases (se esperaba gato/1.jpg, perro/2.jpg…).",
    "errors.labelled_loose_photo": "{name} no está en ninguna carpeta: cada foto debe ir en la carpeta de su clase.",
    "errors.labelled_too_deep": "{name} está en una carpeta dentro de otra: se espera un solo nivel de carpetas de clases.",
    "errors.labelled_one_class": (
        "El zip tiene una sola carpeta ({name}): hacen falta al menos {min} clases para medir la precisión."
    ),
    "errors.labelled_too_many_classes": "El zip tiene {n:# carpeta|# carpetas} de clases; como mucho {max}.",
    "errors.labelled_too_many_photos": "El zip tiene {n:# foto|# fotos}; se miden como mucho {max} a la vez.",
    "errors.labelled_duplicate_class": "Las carpetas {first} y {second} son la misma clase: cambia el nombre de una.",
    "errors.labelled_class_name_too_long": (
        "El nombre de una carpeta puede tener como mucho {max} caracteres; uno tiene {got}."
    ),
    "errors.labelled_unknown_label": "La carpeta {folder} tiene la etiqueta {label}, que el modelo no conoce.",
    "errors.labelled_label_twice": (
        "La etiqueta {label} está en dos carpetas, {first} y {second}: cada etiqueta solo puede ser de una clase."
    ),
}

EN = {
    "labelled.section": "Accuracy on your labelled photos",
    "labelled.intro": (
        "Upload a zip with **one folder per class** (`cat/1.jpg`, `dog/2.jpg`…; the folder names are the classes, "
        "in Spanish or English) and measure how many photos each model gets right. A supervised classifier only "
        "knows the 1000 ImageNet classes it was trained on: each folder is translated into those classes. CLIP "
        "instead chooses among your folder names, which it has never seen as classes."
    ),
    "labelled.upload": "Zip with one folder per class",
    "labelled.upload_help": (
        "From {min} to {max_classes} folders, up to {max_photos} photos in all (JPEG, PNG…). Nothing else in the "
        "zip: no other files, no zips inside."
    ),
    "labelled.sample": "Use the sample set",
    "labelled.sample_help": "Five classes of three photos (the photo, its mirror image and a crop) from the app's sample photos.",
    "labelled.sample_clear": "Remove the sample set",
    "labelled.loaded": "{name}: {n:# photo|# photos} in {k:# class|# classes}.",
    "labelled.sample_name": "sample set",
    "labelled.mapping": "Which ImageNet classes count as each folder",
    "labelled.mapping_help": (
        "Suggested from the folder's name (e.g. \"cat\" → ImageNet's 5 cat classes). Change it: a prediction that "
        'is in no folder counts as "other" (a miss).'
    ),
    "labelled.mapping_none": "none: its photos will count as misses",
    "labelled.run": "Measure the accuracy",
    "labelled.running": "{model}: photo {i} of {n}",
    "labelled.accuracy": "Accuracy per model",
    "labelled.per_class": "Per class · {model}",
    "labelled.confusion": "Confusion matrix · {model}",
    "labelled.confusion_caption": (
        "Rows: the real class (the folder). Columns: what the model said. Each cell counts photos; its colour is "
        "the share of the row. The diagonal is the hits."
    ),
    "labelled.joint": "Supervised vs zero-shot (what this session measured)",
    "labelled.joint_caption": "The same photos ({name}) on both pages: classification and zero-shot.",
    "labelled.joint_empty": "Measure the accuracy here and on the other page to compare them in this table.",
    "labelled.other": "other",
    "labelled.no_top5": "—",
    "labelled.col_model": "Model",
    "labelled.col_kind": "Kind",
    "labelled.col_images": "Photos",
    "labelled.col_top1": "Top-1",
    "labelled.col_top5": "Top-5",
    "labelled.col_s_image": "s per photo",
    "labelled.col_class": "Class",
    "labelled.col_correct": "Hits",
    "labelled.kind_supervised": "supervised",
    "labelled.kind_zero-shot": "zero-shot",
    "labelled.zero_shot_labels": "CLIP's labels are the folder names, through the template above:",
    "labelled.need_models": "Pick at least one model above.",
    "labelled.top5_note": "CLIP's top-5 only means something with 5 classes or more.",
    "errors.labelled_nested_archive": "{name} is an archive inside the zip: expected photos in folders, not zips.",
    "errors.labelled_not_image": "{name} is not a photo (JPEG, PNG…): the class folders may only hold photos.",
    "errors.labelled_no_classes": "The zip has no photos in class folders (expected cat/1.jpg, dog/2.jpg…).",
    "errors.labelled_loose_photo": "{name} is in no folder: every photo goes in the folder of its class.",
    "errors.labelled_too_deep": "{name} is in a folder inside another: expected one level of class folders.",
    "errors.labelled_one_class": "The zip has one folder only ({name}): at least {min} classes are needed to measure accuracy.",
    "errors.labelled_too_many_classes": "The zip has {n:# class folder|# class folders}; at most {max}.",
    "errors.labelled_too_many_photos": "The zip has {n:# photo|# photos}; at most {max} are measured at once.",
    "errors.labelled_duplicate_class": "The folders {first} and {second} are the same class: rename one.",
    "errors.labelled_class_name_too_long": "A folder's name can have at most {max} characters; one has {got}.",
    "errors.labelled_unknown_label": "The folder {folder} has the label {label}, which the model does not know.",
    "errors.labelled_label_twice": (
        "The label {label} is in two folders, {first} and {second}: a label can belong to one class only."
    ),
}
