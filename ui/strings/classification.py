"""Image-classification page strings."""

ES = {
    "classification.nav": "Clasificación de imágenes",
    "classification.title": "Clasificación de imágenes",
    "classification.intro": (
        "Un modelo entrenado con ImageNet (1000 clases) dice qué hay en la foto, con una probabilidad por clase."
    ),
    "classification.how": (
        "**Una red neuronal convolucional (CNN)** como ResNet-50 o EfficientNet aplica filtros que "
        "detectan bordes, texturas y formas cada vez más complejas; un **Vision Transformer** (ViT, "
        "DeiT) corta la imagen en parches de 16×16 y los relaciona entre sí con atención.\n\n"
        "Las dos terminan en una capa con **1000 salidas** (una por clase de ImageNet). La función "
        "**softmax** convierte esas salidas en probabilidades que suman 1; el **top-k** son las k "
        "clases más probables.\n\n"
        "El *pipeline* de Hugging Face hace tres pasos: **preprocesar** (redimensionar, recortar y "
        "normalizar la imagen), **inferencia** (el modelo) y **postprocesar** (softmax y nombres de "
        "las clases). Las etiquetas se muestran en inglés, tal como las da el modelo."
    ),
    "classification.model_help": "Integrado = funciona sin conexión. Los demás se descargan del Hub la primera vez.",
    "classification.top_k": "Número de clases (top-k)",
    "classification.top": "Predicción principal",
    "classification.chart_title": "Top-{k}",
    "classification.col_rank": "#",
    "classification.col_label": "Etiqueta",
    "classification.col_score": "Probabilidad",
}

EN = {
    "classification.nav": "Image classification",
    "classification.title": "Image classification",
    "classification.intro": (
        "A model trained on ImageNet (1000 classes) says what is in the photo, with a probability per class."
    ),
    "classification.how": (
        "**A convolutional neural network (CNN)** such as ResNet-50 or EfficientNet applies filters "
        "that detect edges, textures and ever more complex shapes; a **Vision Transformer** (ViT, "
        "DeiT) cuts the image into 16×16 patches and relates them to each other with attention.\n\n"
        "Both end in a layer with **1000 outputs** (one per ImageNet class). The **softmax** function "
        "turns those outputs into probabilities that add up to 1; the **top-k** are the k most likely "
        "classes.\n\n"
        "The Hugging Face *pipeline* does three steps: **preprocess** (resize, crop and normalise the "
        "image), **inference** (the model) and **postprocess** (softmax and class names). Labels are "
        "shown in English, as the model gives them."
    ),
    "classification.model_help": "Embedded = works offline. The others download from the Hub the first time.",
    "classification.top_k": "Number of classes (top-k)",
    "classification.top": "Top prediction",
    "classification.chart_title": "Top-{k}",
    "classification.col_rank": "#",
    "classification.col_label": "Label",
    "classification.col_score": "Probability",
}
