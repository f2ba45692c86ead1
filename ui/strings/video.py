"""Detection-on-video page strings (the video engine's error messages live with the engine's, not here)."""

ES = {
    "video.nav": "Detección en vídeo",
    "video.title": "Detección en vídeo",
    "video.intro": (
        "Sube un vídeo corto: la app toma un fotograma de cada N, detecta los objetos en cada uno y, con el "
        "seguimiento (ByteTrack), cuenta los objetos distintos y no solo las detecciones de cada fotograma."
    ),
    # Home's card for this page (kept with the page's strings; every page needs one).
    "home.card_video": "YOLO, DETR o YOLOS fotograma a fotograma en un vídeo; seguimiento con ByteTrack.",
    "video.how": (
        "**Un vídeo es una sucesión de fotos** (fotogramas): 30 por segundo en un móvil. Detectar en todos "
        "sería lento y casi repetitivo, así que la app **muestrea**: con un **paso** de 5 analiza los "
        "fotogramas 0, 5, 10… (6 por segundo en un vídeo de 30 fps). El vídeo anotado se reproduce a esa "
        "cadencia: fps del original ÷ paso.\n\n"
        "**Detección por fotograma**: el detector no sabe nada de los fotogramas anteriores. Cada fotograma da "
        "sus cajas, clases y confianzas, como en la página de detección. Si una persona sale en 20 fotogramas "
        "muestreados, son **20 detecciones** de **1 objeto**.\n\n"
        "**Seguimiento (tracking)**: asociar las cajas de un fotograma con las del siguiente para dar a cada "
        "objeto un **identificador** (#1, #2…) que se mantiene mientras se ve. **ByteTrack** (Zhang et al., "
        "2022; el seguidor por defecto de Ultralytics) lo hace así:\n"
        "1. Un **filtro de Kalman** predice dónde estará cada objeto ya seguido a partir de su movimiento "
        "(posición y velocidad de su caja).\n"
        "2. **Primera ronda**: las cajas de confianza **alta** (≥ 0,25) se emparejan con esas predicciones "
        "por **IoU** (solapamiento), con el algoritmo húngaro.\n"
        "3. **Segunda ronda**: las cajas de confianza **baja** (0,1–0,25), que otros seguidores tiran, se "
        "emparejan con los objetos que quedaron sin pareja: así no se pierde un objeto medio tapado o "
        "borroso, cuya confianza baja un momento.\n"
        "4. Una caja alta sin pareja abre un objeto nuevo; un objeto sin caja se guarda perdido unos "
        "fotogramas (30) por si reaparece, y luego se olvida.\n\n"
        "**Objetos distintos ≠ detecciones**: los objetos distintos son los identificadores diferentes que "
        "dio el seguidor; las detecciones, la suma de cajas de todos los fotogramas. Un coche que cruza la "
        "escena en 40 fotogramas es 40 detecciones y 1 objeto distinto. Si el seguidor pierde un objeto y lo "
        "retoma con otro identificador (un *cambio de identidad*), ese objeto cuenta dos veces. ByteTrack empareja "
        "cajas sin mirar su clase: en un corte de escena, un paraguas puede heredar el identificador de la cebra "
        "que ocupaba su sitio; la app cuenta cada par clase-identificador, como los resultados de `model.track`.\n\n"
        "**El paso y el umbral importan**: con un paso grande los objetos se mueven mucho entre fotogramas "
        "analizados y el solapamiento baja, así que hay más cambios de identidad. El umbral de confianza se "
        "aplica antes del seguidor: con 0,5 no le llega ninguna caja de confianza baja y la segunda ronda no "
        "tiene nada que emparejar (por eso `YOLO(...).track()` usa `conf=0.1` si no le dices otro)."
    ),
    "video.source": "Vídeo",
    "video.source_sample": "Vídeo de ejemplo",
    "video.source_upload": "Subir un vídeo",
    "video.upload": "Sube un vídeo (mp4, webm, mov, m4v o mkv)",
    "video.upload_help": "Un vídeo corto: los límites están debajo. El audio se ignora.",
    "video.limits": (
        "Límites: hasta {mb} MB, {seconds} s de duración, {side} px de lado y {sampled} fotogramas analizados "
        "(el paso decide cuántos)."
    ),
    "video.upload_prompt": "Sube un vídeo para analizarlo, o elige el vídeo de ejemplo.",
    "video.sample_name": "vídeo de ejemplo",
    "video.info": (
        "{name}: {seconds:.1f} s · {fps:.0f} fps · {width}×{height} px · {codec} · {frames:# fotograma|# fotogramas}"
        " · {sampled:se analiza #|se analizan #} (paso {stride})"
    ),
    "video.stride": "Paso (un fotograma de cada N)",
    "video.stride_help": (
        "1 analiza todos los fotogramas (lento); 5 uno de cada cinco. Con un paso grande, los objetos se mueven "
        "más entre fotogramas analizados y el seguimiento falla más."
    ),
    "video.stride_raised": (
        "Paso subido a {stride} para este vídeo: se analizan como mucho {limit:# fotograma|# fotogramas}."
    ),
    "video.threshold": "Umbral de confianza",
    "video.threshold_help": (
        "Solo cuentan las cajas con una confianza igual o mayor. Se aplica antes del seguimiento: con un "
        "umbral bajo, ByteTrack recibe también las cajas dudosas de su segunda ronda."
    ),
    "video.track": "Seguir los objetos (ByteTrack)",
    "video.track_help": (
        "Da a cada objeto un identificador (#1, #2…) que se mantiene de un fotograma a otro, y cuenta los "
        "objetos distintos. Sin seguimiento, solo hay detecciones por fotograma."
    ),
    "video.webcam": (
        "¿Y la webcam en directo? No se ofrece. `st.camera_input` solo toma fotos fijas, y el vídeo en directo "
        "(streamlit-webrtc) necesita un servidor TURN en Streamlit Community Cloud: su documentación lo dice "
        "(«You may need to set up a TURN server… including Streamlit Community Cloud») y su propia demo usa "
        "el servicio de pago de Twilio. Graba un clip corto con el móvil y súbelo."
    ),
    "video.running": "Analizando con {model}: {n:# fotograma|# fotogramas}…",
    "video.progress": "{model}: fotograma {i} de {n}",
    "video.encoding": "Montando el vídeo anotado…",
    "video.annotated": "{model}: vídeo anotado ({n:# fotograma|# fotogramas}, {fps:.1f} fps)",
    "video.time": "{ms:.0f} ms por fotograma ({n:# fotograma analizado|# fotogramas analizados})",
    "video.summary": (
        "{detections:# detección|# detecciones} en {n:# fotograma|# fotogramas} · máximo {most} a la vez"
    ),
    "video.distinct_title": "Objetos distintos por clase",
    "video.distinct_caption": (
        "Objetos distintos: identificadores diferentes de ByteTrack. Detecciones: cajas sumadas en todos los "
        "fotogramas analizados. Máximo: el mayor número de esa clase en un mismo fotograma."
    ),
    "video.per_class_title": "Detecciones por clase",
    "video.untracked": (
        "Sin seguimiento no se sabe si la caja de un fotograma y la del siguiente son el mismo objeto: solo hay "
        "detecciones por fotograma. Marca «Seguir los objetos» para contar objetos distintos."
    ),
    "video.none_found": "Ningún objeto supera el umbral de confianza {threshold:.2f} en ningún fotograma.",
    "video.col_class": "Clase",
    "video.col_distinct": "Objetos distintos",
    "video.col_detections": "Detecciones",
    "video.col_most": "Máximo en un fotograma",
    "video.chart_title": "Objetos por clase a lo largo del vídeo",
    "video.chart_x": "tiempo (segundos)",
    "video.chart_y": "objetos en el fotograma",
    "video.table_title": "Comparación",
    "video.col_model": "Modelo",
    "video.col_frames": "Fotogramas analizados",
    "video.col_ms": "ms por fotograma",
    "video.col_total_distinct": "Objetos distintos",
    "video.table_caption": (
        "Tiempo: la media por fotograma de la inferencia del modelo, en este servidor compartido (sin decodificar "
        "ni dibujar)."
    ),
}

EN = {
    "video.nav": "Detection on video",
    "video.title": "Detection on video",
    "video.intro": (
        "Upload a short video: the app takes one frame in N, detects the objects in each and, with tracking "
        "(ByteTrack), counts the distinct objects, not only each frame's detections."
    ),
    "home.card_video": "YOLO, DETR or YOLOS frame by frame on a video; tracking with ByteTrack.",
    "video.how": (
        "**A video is a sequence of photos** (frames): 30 a second on a phone. Detecting on all of them would "
        "be slow and nearly repetitive, so the app **samples**: with a **stride** of 5 it analyses frames "
        "0, 5, 10… (6 a second in a 30 fps video). The annotated video plays at that rate: the original's "
        "fps ÷ stride.\n\n"
        "**Detection per frame**: the detector knows nothing of earlier frames. Each frame gives its boxes, "
        "classes and confidences, as on the detection page. A person seen in 20 sampled frames is "
        "**20 detections** of **1 object**.\n\n"
        "**Tracking**: linking the boxes of one frame with those of the next, to give each object an **id** "
        "(#1, #2…) that it keeps while it is seen. **ByteTrack** (Zhang et al., 2022; Ultralytics' default "
        "tracker) does it like this:\n"
        "1. A **Kalman filter** predicts where each tracked object will be from its motion (its box's "
        "position and velocity).\n"
        "2. **First round**: the **high**-confidence boxes (≥ 0.25) are matched to those predictions by "
        "**IoU** (overlap), with the Hungarian algorithm.\n"
        "3. **Second round**: the **low**-confidence boxes (0.1–0.25), which other trackers throw away, are "
        "matched to the objects left without a match: an object half hidden or blurred, whose confidence "
        "drops for a moment, is not lost.\n"
        "4. A high box with no match starts a new object; an object with no box is kept as lost for a few "
        "frames (30) in case it comes back, then forgotten.\n\n"
        "**Distinct objects ≠ detections**: distinct objects are the different ids the tracker gave; "
        "detections, the boxes summed over every frame. A car crossing the scene in 40 frames is 40 "
        "detections and 1 distinct object. If the tracker loses an object and picks it up again under "
        "another id (an *id switch*), that object counts twice. ByteTrack matches boxes whatever their class: at a "
        "scene cut an umbrella may inherit the id of the zebra that stood in its place; the app counts each "
        "class and id pair, as `model.track`'s results do.\n\n"
        "**Stride and threshold matter**: with a large stride objects move far between analysed frames and "
        "the overlap drops, so there are more id switches. The confidence threshold applies before the "
        "tracker: at 0.5 no low-confidence box reaches it and the second round has nothing to match (that is "
        "why `YOLO(...).track()` uses `conf=0.1` unless told otherwise)."
    ),
    "video.source": "Video",
    "video.source_sample": "Sample video",
    "video.source_upload": "Upload a video",
    "video.upload": "Upload a video (mp4, webm, mov, m4v or mkv)",
    "video.upload_help": "A short video: the limits are below. Sound is ignored.",
    "video.limits": (
        "Limits: up to {mb} MB, {seconds} s long, {side} px a side and {sampled} analysed frames (the stride "
        "decides how many)."
    ),
    "video.upload_prompt": "Upload a video to analyse it, or pick the sample video.",
    "video.sample_name": "sample video",
    "video.info": (
        "{name}: {seconds:.1f} s · {fps:.0f} fps · {width}×{height} px · {codec} · {frames:# frame|# frames}"
        " · {sampled:# analysed|# analysed} (stride {stride})"
    ),
    "video.stride": "Stride (one frame in every N)",
    "video.stride_help": (
        "1 analyses every frame (slow); 5 one in five. With a large stride, objects move further between "
        "analysed frames and tracking fails more."
    ),
    "video.stride_raised": "Stride raised to {stride} for this video: at most {limit:# frame|# frames} are analysed.",
    "video.threshold": "Confidence threshold",
    "video.threshold_help": (
        "Only boxes with this confidence or more count. It applies before tracking: with a low threshold, "
        "ByteTrack also gets the doubtful boxes of its second round."
    ),
    "video.track": "Track the objects (ByteTrack)",
    "video.track_help": (
        "Gives each object an id (#1, #2…) that it keeps from frame to frame, and counts the distinct "
        "objects. Without tracking there are only detections per frame."
    ),
    "video.webcam": (
        "What about a live webcam? Not offered. `st.camera_input` only takes still photos, and live video "
        '(streamlit-webrtc) needs a TURN server on Streamlit Community Cloud: its documentation says so ("You '
        'may need to set up a TURN server… including Streamlit Community Cloud") and its own demo uses '
        "Twilio's paid service. Record a short clip with your phone and upload it."
    ),
    "video.running": "Analysing with {model}: {n:# frame|# frames}…",
    "video.progress": "{model}: frame {i} of {n}",
    "video.encoding": "Putting the annotated video together…",
    "video.annotated": "{model}: annotated video ({n:# frame|# frames}, {fps:.1f} fps)",
    "video.time": "{ms:.0f} ms per frame ({n:# analysed frame|# analysed frames})",
    "video.summary": "{detections:# detection|# detections} in {n:# frame|# frames} · at most {most} at once",
    "video.distinct_title": "Distinct objects per class",
    "video.distinct_caption": (
        "Distinct objects: different ByteTrack ids. Detections: boxes summed over every analysed frame. "
        "Most: the largest number of that class in one frame."
    ),
    "video.per_class_title": "Detections per class",
    "video.untracked": (
        "Without tracking there is no telling whether a box in one frame and one in the next are the same "
        'object: there are only detections per frame. Tick "Track the objects" to count distinct objects.'
    ),
    "video.none_found": "No object reaches the confidence threshold {threshold:.2f} in any frame.",
    "video.col_class": "Class",
    "video.col_distinct": "Distinct objects",
    "video.col_detections": "Detections",
    "video.col_most": "Most in one frame",
    "video.chart_title": "Objects per class over the video",
    "video.chart_x": "time (seconds)",
    "video.chart_y": "objects in the frame",
    "video.table_title": "Comparison",
    "video.col_model": "Model",
    "video.col_frames": "Analysed frames",
    "video.col_ms": "ms per frame",
    "video.col_total_distinct": "Distinct objects",
    "video.table_caption": (
        "Time: the mean of the model's inference per frame, on this shared server (not decoding or drawing)."
    ),
}
