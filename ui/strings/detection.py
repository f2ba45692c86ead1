"""Object-detection page strings (and the messages of the detection engine's errors)."""

ES = {
    "detection.nav": "Detección de objetos",
    "detection.title": "Detección de objetos",
    "detection.intro": (
        "DETR, YOLOS y YOLO buscan objetos de las 80 clases de COCO y los enmarcan en cajas. "
        "Compara modelos en la misma foto y, con las etiquetas reales, mide su precisión, recall y mAP."
    ),
    "detection.how": (
        "**Detectar** es decir *qué* hay y *dónde*: cada objeto es una caja (x1, y1, x2, y2 en píxeles), "
        "una clase y una confianza entre 0 y 1.\n\n"
        "**DETR** (*DEtection TRansformer*, Facebook): una CNN (ResNet-50) extrae características y un "
        "transformer codificador-decodificador con 100 *consultas* predice directamente un **conjunto** de "
        "cajas, cada una con su clase o «sin objeto». Se entrena emparejando una a una predicciones y "
        "objetos reales (algoritmo húngaro), así que no repite cajas y **no necesita NMS**. **YOLOS** hace "
        "lo mismo con un ViT puro: parches de 16×16 más unos *tokens de detección*.\n\n"
        "**YOLO** (*You Only Look Once*, Ultralytics): una CNN mira la imagen una sola vez y, en rejillas de "
        "tres tamaños, propone miles de cajas con su probabilidad por clase. Muchas cubren el mismo objeto: "
        "la **supresión de no máximos (NMS)** se queda con la de mayor confianza y descarta las que se "
        "solapan con ella más que el **umbral de IoU**. Es muy rápido: pensado para vídeo en tiempo real.\n\n"
        "**Umbral de confianza**: solo se muestran las cajas con confianza ≥ umbral. Subirlo quita falsos "
        "positivos pero pierde objetos; bajarlo, al revés.\n\n"
        "**IoU** (*intersection over union*): el área común de dos cajas dividida por el área de su unión "
        "(0 = no se tocan, 1 = idénticas). Una detección es un **acierto (TP)** si tiene IoU ≥ 0,5 con un "
        "objeto real de su clase aún no emparejado; si no, es un **falso positivo (FP)**. Los objetos reales "
        "que nadie encuentra son **falsos negativos (FN)**.\n\n"
        "- **Precisión** = TP / (TP + FP): de lo que el modelo detecta, cuánto es correcto.\n"
        "- **Recall** = TP / (TP + FN): de los objetos reales, cuántos encuentra.\n"
        "- **AP** (*average precision*) de una clase: se ordenan sus detecciones por confianza y se mide el "
        "área bajo la curva precisión-recall. Usa **todas** las cajas (desde confianza 0,001, como el "
        "validador de Ultralytics), no solo las que pasan el umbral.\n"
        "- **AP50**: la AP con el criterio IoU ≥ 0,5.\n"
        "- **mAP** (*mean AP*): la media de la AP de todas las clases. **mAP50** usa IoU ≥ 0,5; "
        "**mAP50-95** promedia los umbrales de IoU 0,50, 0,55 … 0,95 (la métrica oficial de COCO), así que "
        "premia las cajas bien ajustadas.\n\n"
        "La AP se calcula con la evaluación oficial de COCO (pycocotools, a través de torchmetrics). Con "
        "pocas imágenes, una sola caja cambia mucho la AP: compara modelos sobre las mismas imágenes."
    ),
    "detection.threshold": "Umbral de confianza",
    "detection.threshold_help": "Solo se muestran las cajas con una confianza igual o mayor.",
    "detection.iou": "Umbral de IoU (NMS, solo YOLO)",
    "detection.iou_help": (
        "YOLO descarta una caja si se solapa más que esto con otra más segura de la misma clase. "
        "DETR y YOLOS no usan NMS."
    ),
    "detection.classes": "Clases (COCO)",
    "detection.classes_all": "Todas las clases",
    "detection.classes_help": "Deja vacío para buscar las 80 clases de COCO.",
    "detection.max_det": "Máximo de detecciones",
    "detection.max_det_help": "Se quedan las de mayor confianza.",
    "detection.truth_title": "Etiquetas reales (opcional)",
    "detection.truth_upload": "Sube las etiquetas: YOLO .txt, COCO .json o un .zip con imágenes y etiquetas",
    "detection.truth_help": (
        "YOLO: una línea por objeto, «clase x_centro y_centro ancho alto», normalizado de 0 a 1 y con las "
        "80 clases de COCO en el orden de Ultralytics (0 = person). COCO: el JSON con images, annotations y "
        "categories. Zip: imágenes y sus etiquetas con el mismo nombre (foto.jpg ↔ foto.txt)."
    ),
    "detection.truth_loaded": "Etiquetas cargadas: {n:# objeto|# objetos} en esta imagen.",
    "detection.truth_other_image": (
        "¿Son las etiquetas de otra foto? El archivo **{labels}** no se llama como la imagen **{image}**: en YOLO "
        "cada imagen tiene su archivo de etiquetas con el mismo nombre (**{expected}**). Con las etiquetas de otra "
        "imagen, los FP, FN y el mAP no significan nada."
    ),
    "detection.truth_zip_loaded": "Zip cargado: {n:# imagen|# imágenes} con {objects:# objeto etiquetado|# objetos etiquetados}.",
    "detection.truth_zip_cut": "El zip tiene {total:# imagen|# imágenes}; se {n:evalúa la primera|evalúan las # primeras}.",
    "detection.truth_backgrounds": (
        "{n:# imagen|# imágenes} sin archivo de etiquetas {n:cuenta|cuentan} como {n:imagen|imágenes} sin objetos."
    ),
    "detection.truth_orphans": "{n:# archivo de etiquetas no tiene|# archivos de etiquetas no tienen} imagen: {names}",
    "detection.zip_pick": "Imagen del zip que se muestra",
    "detection.zip_pick_help": "Con un zip, la imagen analizada arriba es la elegida aquí; las métricas son de todo el zip.",
    "detection.show_truth": "Ver las etiquetas reales",
    "detection.truth_caption": "Etiquetas reales: {n:# objeto|# objetos}",
    "detection.none_found": "Ningún objeto supera el umbral de confianza {threshold:.2f}.",
    "detection.found": "{n:# objeto|# objetos}",
    "detection.time": "Inferencia: {ms:.0f} ms ({runs:una ejecución|mediana de # ejecuciones} en caliente)",
    "detection.annotated": "{model}: {n:# objeto|# objetos}",
    "detection.chart_title": "Objetos por clase",
    "detection.chart_x": "objetos",
    "detection.col_label": "Clase",
    "detection.col_score": "Confianza",
    "detection.col_box": "Caja (x1, y1, x2, y2)",
    "detection.table_title": "Tabla comparativa",
    "detection.table_caption": (
        "Se rellena sola con los ajustes actuales. Tiempo: {runs:una ejecución|mediana de # ejecuciones} en caliente en "
        "este servidor, con el modelo ya cargado. FP y FN, solo con etiquetas reales."
    ),
    "detection.col_image": "Imagen",
    "detection.col_model": "Modelo",
    "detection.col_objects": "Objetos detectados",
    "detection.col_time": "Tiempo de inferencia (ms)",
    "detection.col_fp": "Falsos positivos",
    "detection.col_fn": "Falsos negativos",
    "detection.col_notes": "Notas",
    "detection.notes": "{lines:# línea|# líneas} de código · {family} · {params} M parámetros · {license}",
    "detection.download_table": "Descargar la tabla (CSV)",
    "detection.table_totals": (
        "Una fila por imagen del zip y modelo; al final, el total de cada modelo: objetos, FP y FN sumados "
        "y la mediana del tiempo por imagen."
    ),
    "detection.total_row": "Total ({n:# imagen|# imágenes})",
    "detection.table_running": "Detectando con {model} en {n:# imagen|# imágenes} del zip…",
    "detection.download_eval": "Descargar la evaluación (CSV)",
    "detection.eval_title": "Evaluación con las etiquetas reales",
    "detection.eval_image": "Sobre esta imagen ({objects:# objeto etiquetado|# objetos etiquetados}).",
    "detection.eval_zip": (
        "Sobre {n:la única imagen|las # imágenes} del zip ({objects:# objeto etiquetado|# objetos etiquetados})."
    ),
    "detection.eval_caption": (
        "Precisión y recall: las cajas con confianza ≥ {threshold:.2f} (el umbral de confianza de la izquierda) "
        "e IoU ≥ 0,5. Ultralytics, en cambio, da P y R en la confianza que maximiza F1 (la media armónica de "
        "las dos), así que sus P y R no son estas. AP50 y mAP50-95: evaluación de COCO con todas las cajas "
        "desde confianza 0,001."
    ),
    "detection.eval_caption_validator": (
        "Precisión y recall: las cajas con confianza ≥ {threshold:.2f} (el umbral de confianza de la izquierda) "
        "e IoU ≥ 0,5. Ultralytics, en cambio, da P y R en la confianza que maximiza F1 (la media armónica de "
        "las dos), así que sus P y R no son estas. AP50 y mAP50-95 de YOLO: como `YOLO(...).val()` "
        "(batch={batch}, rect=True), con su preprocesado y su AP; DETR y YOLOS se evalúan como siempre."
    ),
    "detection.eval_validator": "Preprocesado del validador de Ultralytics",
    "detection.eval_validator_help": (
        "YOLO ve las imágenes como en `YOLO(...).val()`: lotes de 16 ordenados por proporción, todas las de un "
        "lote encajadas en un mismo rectángulo, NMS que puede dar dos clases a una caja, hasta 300 cajas; y la "
        "AP se calcula con la interpolación de Ultralytics. Así sale su misma mAP. DETR y YOLOS no tienen validador."
    ),
    "detection.eval_why": (
        '¿Por qué no coincide con `YOLO("yolov8n.pt").val()`? El validador de Ultralytics no ve cada foto como '
        "`predict`: ordena las imágenes por proporción, las agrupa en lotes (`batch`, 16 por defecto) y, con "
        "`rect=True`, encaja todas las de un lote en un mismo rectángulo (múltiplo de 32 con medio paso de margen). "
        "Otro `batch` u otro `rect` dan otro rectángulo, otras cajas y otra mAP: en coco8-val, YOLOv8n da mAP50 "
        "0,929 con batch=1, 0,896 con batch=16 (el valor por defecto) y 0,816 con rect=False; esta página, con el "
        "preprocesado de `predict`, 0,822. Además su AP usa otra interpolación (una clase perfecta da 0,995, no 1). "
        "Ninguna cifra es «la buena»: con cuatro imágenes, una caja mueve mucho la mAP. Para comparar con "
        "Ultralytics, marca «Preprocesado del validador de Ultralytics»."
    ),
    "detection.evaluating": "Evaluando {model} en {n:# imagen|# imágenes}…",
    "detection.col_images": "Imágenes",
    "detection.col_true": "Objetos reales",
    "detection.col_precision": "Precisión",
    "detection.col_recall": "Recall",
    "detection.col_ap50": "AP50",
    "detection.col_map": "mAP50-95",
    "detection.col_map50": "mAP50",
    "detection.col_tp": "TP",
    "detection.per_class": "Por clase",
    "detection.col_class": "Clase",
    # The evaluation's short headers: ten long ones did not fit a page at 1024 px (the legend says them whole).
    "detection.col_fp_short": "FP",
    "detection.col_fn_short": "FN",
    "detection.col_true_short": "Reales",
    "detection.col_p_short": "P",
    "detection.col_r_short": "R",
    "detection.col_ap": "AP50-95",
    "detection.per_class_legend": (
        "Reales: objetos etiquetados de esa clase · TP: aciertos · FP: falsos positivos · FN: falsos negativos"
        " · P: precisión · R: recall · AP50 y AP50-95: la precisión media de la clase (su media entre clases es"
        " el mAP)."
    ),
    "errors.det_bad_detections": "El modelo ha devuelto detecciones no válidas (cajas o confianzas incoherentes).",
    "errors.det_bad_threshold": "El umbral de confianza debe estar entre 0 y 1; llegó {value}.",
    "errors.det_bad_iou": "El umbral de IoU debe estar entre 0 (excluido) y 1; llegó {value}.",
    "errors.det_bad_max_detections": "El máximo de detecciones debe estar entre 1 y {limit}; llegó {value}.",
    "errors.det_eval_mismatch": (
        "Hace falta un conjunto de detecciones por cada imagen etiquetada (detecciones frente a imágenes: {detail})."
    ),
    "errors.gt_bad_truth": "Las etiquetas no son coherentes: cada caja necesita exactamente una clase.",
    "errors.gt_not_text": "{source}: se esperaba un archivo de texto con etiquetas YOLO y llegó un archivo binario.",
    "errors.gt_bad_yolo_line": (
        "{source}, línea {line}: se esperaba «clase x_centro y_centro ancho alto» (formato YOLO) y llegó «{got}»."
    ),
    "errors.gt_bad_class": (
        "{source}, línea {line}: la clase debe ser un número de 0 a {last} ({n:# clase|# clases}) y llegó {got}."
    ),
    "errors.gt_not_normalised": (
        "{source}, línea {line}: en YOLO las coordenadas van normalizadas de 0 a 1 y llegó {got}. "
        "¿Son coordenadas en píxeles o etiquetas de otro formato? No encajan con esta imagen."
    ),
    "errors.gt_empty_box": "{source}, línea {line}: la caja debe tener ancho y alto mayores que 0.",
    "errors.gt_box_outside": (
        "{source}, línea {line}: la caja se sale de la imagen; estas etiquetas no corresponden a esta imagen."
    ),
    "errors.gt_bad_json": "{source}: se esperaba un archivo JSON y no se puede leer.",
    "errors.gt_bad_coco": (
        "{source}: se esperaba un JSON de COCO (images con id, file_name, width y height; annotations con "
        "image_id, category_id y bbox; categories con id y name). Problema: {got}."
    ),
    "errors.gt_box_outside_coco": (
        "{source}: una caja se sale de su imagen {image} ({width}×{height} píxeles): las etiquetas no encajan."
    ),
    "errors.gt_image_not_found": (
        "Las etiquetas describen {n:# imagen|# imágenes} ({names}) y {n:no es|ninguna es} «{image}». Sube la imagen con el mismo "
        "nombre que en el JSON."
    ),
    "errors.gt_size_mismatch": (
        "Las etiquetas son de una imagen de {label_width}×{label_height} píxeles y esta imagen mide "
        "{width}×{height}: no corresponden a esta imagen."
    ),
    "errors.gt_bad_names": "{source}: no se pueden leer los nombres de las clases (se esperaba names: [...]).",
    "errors.gt_bad_image": "{name}: se esperaba una imagen y no se puede leer.",
    "errors.gt_no_images": "No se encontraron imágenes (JPEG, PNG…) junto a las etiquetas.",
    "errors.gt_no_match": (
        "Ningún archivo de etiquetas corresponde por nombre a una imagen ({n_labels:# archivo|# archivos} de "
        "etiquetas, {n_images:# imagen|# imágenes}; etiquetas: {labels}…; imágenes: {images}…). Se emparejan "
        "por nombre: foto.jpg ↔ foto.txt."
    ),
    "errors.gt_bad_zip": "Se esperaba un archivo zip con imágenes y etiquetas; este no es un zip válido.",
    "errors.gt_zip_too_large": "El zip es demasiado grande ({files:# archivo|# archivos}, {size_mb} MB sin comprimir).",
    "errors.gt_duplicate_name": "El zip tiene dos imágenes llamadas {name}; los nombres deben ser únicos.",
    "errors.gt_no_dir": "{path} no es una carpeta.",
    "errors.gt_empty_file": "{source} está vacío.",
    "errors.gt_bad_kind": "Se esperaban etiquetas .txt (YOLO), .json (COCO) o un .zip; llegó {source}.",
}

EN = {
    "detection.nav": "Object detection",
    "detection.title": "Object detection",
    "detection.intro": (
        "DETR, YOLOS and YOLO find objects of COCO's 80 classes and frame them in boxes. Compare models on "
        "the same photo and, with ground-truth labels, measure their precision, recall and mAP."
    ),
    "detection.how": (
        "**Detecting** means saying *what* is there and *where*: each object is a box (x1, y1, x2, y2 in "
        "pixels), a class and a confidence between 0 and 1.\n\n"
        "**DETR** (*DEtection TRansformer*, Facebook): a CNN (ResNet-50) extracts features and an "
        "encoder-decoder transformer with 100 *queries* directly predicts a **set** of boxes, each with its "
        'class or "no object". It is trained by matching predictions and real objects one to one (the '
        "Hungarian algorithm), so it does not repeat boxes and **needs no NMS**. **YOLOS** does the same "
        "with a plain ViT: 16×16 patches plus a few *detection tokens*.\n\n"
        "**YOLO** (*You Only Look Once*, Ultralytics): a CNN looks at the image once and, on grids of three "
        "sizes, proposes thousands of boxes with a probability per class. Many cover the same object: "
        "**non-maximum suppression (NMS)** keeps the most confident one and drops those overlapping it by "
        "more than the **IoU threshold**. It is very fast: built for real-time video.\n\n"
        "**Confidence threshold**: only boxes with confidence ≥ threshold are shown. Raising it removes "
        "false positives but misses objects; lowering it, the opposite.\n\n"
        "**IoU** (*intersection over union*): the shared area of two boxes divided by the area of their "
        "union (0 = they do not touch, 1 = identical). A detection is a **hit (TP)** when it has IoU ≥ 0.5 "
        "with a not yet matched real object of its class; otherwise it is a **false positive (FP)**. Real "
        "objects nobody finds are **false negatives (FN)**.\n\n"
        "- **Precision** = TP / (TP + FP): of what the model detects, how much is right.\n"
        "- **Recall** = TP / (TP + FN): of the real objects, how many it finds.\n"
        "- **AP** (*average precision*) of a class: its detections are sorted by confidence and the area "
        "under the precision-recall curve is measured. It uses **all** boxes (from confidence 0.001, like "
        "Ultralytics' validator), not only those above the threshold.\n"
        "- **AP50**: AP with the IoU ≥ 0.5 criterion.\n"
        "- **mAP** (*mean AP*): the mean AP over all classes. **mAP50** uses IoU ≥ 0.5; **mAP50-95** "
        "averages IoU thresholds 0.50, 0.55 … 0.95 (COCO's official metric), so it rewards tight boxes.\n\n"
        "AP is computed with COCO's official evaluation (pycocotools, through torchmetrics). With few "
        "images a single box changes AP a lot: compare models on the same images."
    ),
    "detection.threshold": "Confidence threshold",
    "detection.threshold_help": "Only boxes with this confidence or more are shown.",
    "detection.iou": "IoU threshold (NMS, YOLO only)",
    "detection.iou_help": (
        "YOLO drops a box that overlaps a more confident box of the same class by more than this. "
        "DETR and YOLOS use no NMS."
    ),
    "detection.classes": "Classes (COCO)",
    "detection.classes_all": "All classes",
    "detection.classes_help": "Leave empty to look for all 80 COCO classes.",
    "detection.max_det": "Maximum detections",
    "detection.max_det_help": "The most confident ones are kept.",
    "detection.truth_title": "Ground-truth labels (optional)",
    "detection.truth_upload": "Upload labels: YOLO .txt, COCO .json or a .zip of images with labels",
    "detection.truth_help": (
        'YOLO: one line per object, "class x_center y_center width height", normalised 0 to 1, with COCO\'s '
        "80 classes in Ultralytics' order (0 = person). COCO: the JSON with images, annotations and "
        "categories. Zip: images and their labels with the same name (photo.jpg ↔ photo.txt)."
    ),
    "detection.truth_loaded": "Labels loaded: {n:# object|# objects} in this image.",
    "detection.truth_other_image": (
        "Are these another photo's labels? The file **{labels}** is not named like the image **{image}**: in YOLO "
        "each image has its labels file of the same name (**{expected}**). With another image's labels, the FP, FN "
        "and mAP mean nothing."
    ),
    "detection.truth_zip_loaded": "Zip loaded: {n:# image|# images} with {objects:# labelled object|# labelled objects}.",
    "detection.truth_zip_cut": "The zip has {total:# image|# images}; {n:the first is|the first # are} evaluated.",
    "detection.truth_backgrounds": "{n:# image|# images} without a label file {n:counts as an image|count as images} with no objects.",
    "detection.truth_orphans": "{n:# label file has|# label files have} no image: {names}",
    "detection.zip_pick": "Zip image to show",
    "detection.zip_pick_help": "With a zip, the image analysed is the one picked here; the metrics cover the whole zip.",
    "detection.show_truth": "Show the ground-truth labels",
    "detection.truth_caption": "Ground truth: {n:# object|# objects}",
    "detection.none_found": "No object reaches the confidence threshold {threshold:.2f}.",
    "detection.found": "{n:# object|# objects}",
    "detection.time": "Inference: {ms:.0f} ms ({runs:one warm run|median of # warm runs})",
    "detection.annotated": "{model}: {n:# object|# objects}",
    "detection.chart_title": "Objects per class",
    "detection.chart_x": "objects",
    "detection.col_label": "Class",
    "detection.col_score": "Confidence",
    "detection.col_box": "Box (x1, y1, x2, y2)",
    "detection.table_title": "Comparison table",
    "detection.table_caption": (
        "Filled in with the current settings. Time: {runs:one warm run|median of # warm runs} on this server, model already loaded. FP and FN "
        "only with ground-truth labels."
    ),
    "detection.col_image": "Image",
    "detection.col_model": "Model",
    "detection.col_objects": "Objects detected",
    "detection.col_time": "Inference time (ms)",
    "detection.col_fp": "False positives",
    "detection.col_fn": "False negatives",
    "detection.col_notes": "Notes",
    "detection.notes": "{lines:# line|# lines} of code · {family} · {params} M parameters · {license}",
    "detection.download_table": "Download the table (CSV)",
    "detection.table_totals": (
        "One row per zip image and model; at the end, each model's total: objects, FP and FN summed and the "
        "median time per image."
    ),
    "detection.total_row": "Total ({n:# image|# images})",
    "detection.table_running": "Detecting with {model} on {n:# image|# images} of the zip…",
    "detection.download_eval": "Download the evaluation (CSV)",
    "detection.eval_title": "Evaluation against the ground truth",
    "detection.eval_image": "On this image ({objects:# labelled object|# labelled objects}).",
    "detection.eval_zip": "On the zip's {n:only image|# images} ({objects:# labelled object|# labelled objects}).",
    "detection.eval_caption": (
        "Precision and recall: the boxes with confidence ≥ {threshold:.2f} (the confidence threshold on the left) "
        "and IoU ≥ 0.5. Ultralytics instead reports P and R at the confidence that maximises F1 (their harmonic "
        "mean), so its P and R are not these. AP50 and mAP50-95: COCO evaluation with every box from "
        "confidence 0.001."
    ),
    "detection.eval_caption_validator": (
        "Precision and recall: the boxes with confidence ≥ {threshold:.2f} (the confidence threshold on the left) "
        "and IoU ≥ 0.5. Ultralytics instead reports P and R at the confidence that maximises F1 (their harmonic "
        "mean), so its P and R are not these. YOLO's AP50 and mAP50-95: as `YOLO(...).val()` "
        "(batch={batch}, rect=True), with its preprocessing and its AP; DETR and YOLOS are evaluated as usual."
    ),
    "detection.eval_validator": "Ultralytics validator preprocessing",
    "detection.eval_validator_help": (
        "YOLO sees the images as in `YOLO(...).val()`: batches of 16 sorted by aspect ratio, every image of a "
        "batch fitted into one rectangle, an NMS that may give a box two classes, up to 300 boxes; and AP is "
        "computed with Ultralytics' interpolation. That gives its very mAP. DETR and YOLOS have no validator."
    ),
    "detection.eval_why": (
        'Why does it differ from `YOLO("yolov8n.pt").val()`? Ultralytics\' validator does not see each photo as '
        "`predict` does: it sorts the images by aspect ratio, groups them in batches (`batch`, 16 by default) and, "
        "with `rect=True`, fits every image of a batch into one rectangle (a multiple of 32 with half a stride "
        "of margin). Another `batch` or `rect` gives another rectangle, other boxes and another mAP: on coco8-val, "
        "YOLOv8n gets mAP50 0.929 with batch=1, 0.896 with batch=16 (the default) and 0.816 with rect=False; this "
        "page, with `predict`'s preprocessing, 0.822. Its AP also uses another interpolation (a perfect class "
        'gives 0.995, not 1). No figure is "the right one": on four images one box moves mAP a lot. To compare '
        'with Ultralytics, tick "Ultralytics validator preprocessing".'
    ),
    "detection.evaluating": "Evaluating {model} on {n:# image|# images}…",
    "detection.col_images": "Images",
    "detection.col_true": "Real objects",
    "detection.col_precision": "Precision",
    "detection.col_recall": "Recall",
    "detection.col_ap50": "AP50",
    "detection.col_map": "mAP50-95",
    "detection.col_map50": "mAP50",
    "detection.col_tp": "TP",
    "detection.per_class": "Per class",
    "detection.col_class": "Class",
    "detection.col_fp_short": "FP",
    "detection.col_fn_short": "FN",
    "detection.col_true_short": "Real",
    "detection.col_p_short": "P",
    "detection.col_r_short": "R",
    "detection.col_ap": "AP50-95",
    "detection.per_class_legend": (
        "Real: labelled objects of that class · TP: hits · FP: false positives · FN: false negatives"
        " · P: precision · R: recall · AP50 and AP50-95: the class's average precision (their mean over the"
        " classes is the mAP)."
    ),
    "errors.det_bad_detections": "The model returned invalid detections (inconsistent boxes or confidences).",
    "errors.det_bad_threshold": "The confidence threshold must be between 0 and 1; got {value}.",
    "errors.det_bad_iou": "The IoU threshold must be above 0 and at most 1; got {value}.",
    "errors.det_bad_max_detections": "Maximum detections must be between 1 and {limit}; got {value}.",
    "errors.det_eval_mismatch": "Expected one set of detections per labelled image (detections versus images: {detail}).",
    "errors.gt_bad_truth": "The labels are inconsistent: every box needs exactly one class.",
    "errors.gt_not_text": "{source}: expected a text file of YOLO labels; got a binary file.",
    "errors.gt_bad_yolo_line": (
        '{source}, line {line}: expected "class x_center y_center width height" (YOLO format); got "{got}".'
    ),
    "errors.gt_bad_class": "{source}, line {line}: the class must be a number from 0 to {last} ({n:# class|# classes}); got {got}.",
    "errors.gt_not_normalised": (
        "{source}, line {line}: YOLO coordinates are normalised from 0 to 1; got {got}. Pixel coordinates, "
        "or labels of another format? They do not fit this image."
    ),
    "errors.gt_empty_box": "{source}, line {line}: the box must have a width and height above 0.",
    "errors.gt_box_outside": "{source}, line {line}: the box reaches past the image; these labels are not for this image.",
    "errors.gt_bad_json": "{source}: expected a JSON file; it cannot be read.",
    "errors.gt_bad_coco": (
        "{source}: expected COCO JSON (images with id, file_name, width and height; annotations with "
        "image_id, category_id and bbox; categories with id and name). Problem: {got}."
    ),
    "errors.gt_box_outside_coco": (
        "{source}: a box reaches past its image {image} ({width}×{height} pixels): the labels do not fit."
    ),
    "errors.gt_image_not_found": (
        'The labels describe {n:# image|# images} ({names}) and {n:it is not|none is} "{image}". Upload the image with the same name '
        "as in the JSON."
    ),
    "errors.gt_size_mismatch": (
        "The labels are for an image of {label_width}×{label_height} pixels and this image is "
        "{width}×{height}: they are not for this image."
    ),
    "errors.gt_bad_names": "{source}: the class names cannot be read (expected names: [...]).",
    "errors.gt_bad_image": "{name}: expected an image; it cannot be read.",
    "errors.gt_no_images": "No images (JPEG, PNG…) were found with the labels.",
    "errors.gt_no_match": (
        "No label file matches an image by name ({n_labels:# label file|# label files}, {n_images:# image|# images}; "
        "labels: {labels}…; images: {images}…). They pair by name: photo.jpg ↔ photo.txt."
    ),
    "errors.gt_bad_zip": "Expected a zip file of images and labels; this is not a valid zip.",
    "errors.gt_zip_too_large": "The zip is too large ({files:# file|# files}, {size_mb} MB uncompressed).",
    "errors.gt_duplicate_name": "The zip has two images named {name}; names must be unique.",
    "errors.gt_no_dir": "{path} is not a folder.",
    "errors.gt_empty_file": "{source} is empty.",
    "errors.gt_bad_kind": "Expected labels as .txt (YOLO), .json (COCO) or a .zip; got {source}.",
}
