"""Home page strings."""

ES = {
    "home.nav": "Inicio",
    "home.title": "Visión por computador con Hugging Face",
    "home.intro": "Prueba las tareas de visión de Hugging Face y compara modelos lado a lado.",
    "home.what_is_task": (
        "En Hugging Face, una **tarea** es un tipo de problema con una entrada y una salida fijas: "
        "*clasificación de imágenes* (imagen → etiquetas con probabilidad), *detección de objetos* "
        "(imagen → cajas con etiqueta), *segmentación* (imagen → una máscara por región), "
        "*clasificación zero-shot* (imagen + textos → cuál encaja mejor)… Cada modelo del Hub "
        'declara su tarea, y `pipeline("<tarea>", model=...)` hace el preprocesado, la inferencia '
        "y el postprocesado por ti."
    ),
    "home.pages": "Páginas",
    "home.open": "Abrir",
    "home.card_classification": "Clasifica una foto con ViT, ResNet-50, DeiT o EfficientNet-Lite0 (sin conexión).",
    "home.card_pictionary": "Dibuja y una CNN de 28×28 adivina qué es; juega 6 rondas como en Quick, Draw!",
    "home.card_detection": "Cajas con DETR, YOLOS y YOLO; tabla comparativa y mAP contra las etiquetas reales.",
    "home.card_segmentation": "SegFormer (ADE20K): cada segmento con su leyenda y su porcentaje; recorta una etiqueta.",
    "home.card_zero_shot": "CLIP clasifica con las etiquetas que tú escribas; OpenAI frente a LAION.",
    "home.card_clip_workshop": "Taller CLIP: muchas imágenes × muchas descripciones en una tabla de probabilidades.",
    "home.availability": "Modelos disponibles",
    "home.availability_caption": (
        "De dónde saldrá cada modelo: integrado, carpeta local, caché o descarga del Hub. "
        "Sin conexión, solo funcionan los tres primeros. Tamaño y parámetros son los de los archivos que hay en "
        "esta máquina (contados en ellos); «modelo de prueba» marca los que no son los pesos publicados "
        "(modelos diminutos o con pesos aleatorios, para usar la app sin conexión): sus respuestas no valen."
    ),
    "home.col_model": "Modelo",
    "home.col_task": "Tarea",
    "home.col_where": "Disponibilidad",
    "home.col_weights": "Pesos",
    "home.stand_ins": "{n:# modelo de prueba|# modelos de prueba} en esta máquina: {models}.",
    "home.col_size": "Tamaño (MB)",
    "home.col_params": "Parámetros (M)",
    "home.col_license": "Licencia",
    "home.will_download": "se descargará ({size} MB)",
    "home.environment": "Entorno",
    "home.device": "Dispositivo: {device}",
    "home.device_gpu": "GPU (CUDA)",
    "home.device_cpu": "CPU",
    "home.device_unknown": "se detecta al cargar el primer modelo",
    "home.versions": "Versiones",
}

EN = {
    "home.nav": "Home",
    "home.title": "Computer vision with Hugging Face",
    "home.intro": "Try the Hugging Face vision tasks and compare models side by side.",
    "home.what_is_task": (
        "On Hugging Face, a **task** is a kind of problem with a fixed input and output: "
        "*image classification* (image → labels with probabilities), *object detection* "
        "(image → labelled boxes), *segmentation* (image → one mask per region), *zero-shot "
        "classification* (image + texts → which fits best)… Every model on the Hub declares its "
        'task, and `pipeline("<task>", model=...)` does the preprocessing, the inference and the '
        "postprocessing for you."
    ),
    "home.pages": "Pages",
    "home.open": "Open",
    "home.card_classification": "Classify a photo with ViT, ResNet-50, DeiT or EfficientNet-Lite0 (offline).",
    "home.card_pictionary": "Draw and a 28×28 CNN guesses what it is; play 6 rounds like Quick, Draw!",
    "home.card_detection": "Boxes from DETR, YOLOS and YOLO; a comparison table and mAP against ground truth.",
    "home.card_segmentation": "SegFormer (ADE20K): every segment with a legend and its share; cut out a label.",
    "home.card_zero_shot": "CLIP classifies with the labels you type; OpenAI versus LAION.",
    "home.card_clip_workshop": "CLIP workshop: many images × many descriptions in one probability table.",
    "home.availability": "Available models",
    "home.availability_caption": (
        "Where each model will come from: embedded, local directory, cache or a Hub download. "
        "Offline, only the first three work. Size and parameters are those of the files on this machine "
        "(counted in them); «test model» marks those that are not the published weights (tiny or random-weight "
        "models, to use the app offline): their answers mean nothing."
    ),
    "home.col_model": "Model",
    "home.col_task": "Task",
    "home.col_where": "Availability",
    "home.col_weights": "Weights",
    "home.stand_ins": "{n:# test model|# test models} on this machine: {models}.",
    "home.col_size": "Size (MB)",
    "home.col_params": "Parameters (M)",
    "home.col_license": "License",
    "home.will_download": "will download ({size} MB)",
    "home.environment": "Environment",
    "home.device": "Device: {device}",
    "home.device_gpu": "GPU (CUDA)",
    "home.device_cpu": "CPU",
    "home.device_unknown": "detected when the first model loads",
    "home.versions": "Versions",
}
