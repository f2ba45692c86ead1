"""Depth-estimation page strings (and its card on Home)."""

ES = {
    "depth.nav": "Profundidad",
    "depth.title": "Estimación de profundidad",
    "depth.intro": (
        "Un modelo mira una sola foto y estima a qué distancia está cada píxel: el mapa de "
        "profundidad en colores, mezclado con la foto y en 3-D."
    ),
    "home.card_depth": "Depth Anything, DPT y GLPN: el mapa de profundidad de una foto, su barra de colores y una vista 3-D.",
    "depth.how": (
        "**Profundidad monocular**: con **una sola cámara** no hay dos puntos de vista que comparar "
        "(como hacen nuestros dos ojos o una cámara estéreo). El modelo aprende pistas de millones de "
        "fotos: los objetos lejanos se ven más pequeños y más arriba, las líneas paralelas se juntan "
        "a lo lejos, unos objetos tapan a otros, la textura se vuelve más fina y la niebla aclara "
        "el fondo. Con esas pistas da **un valor por píxel**: el mapa de profundidad.\n\n"
        "**Profundidad relativa** (Depth Anything V2, DPT/MiDaS): el valor dice qué está **más cerca "
        "o más lejos**, pero no cuántos metros. Es una *profundidad inversa* (disparidad): **mayor = "
        "más cerca**, sin unidad. Sirve para cualquier foto, de interior o de exterior.\n\n"
        "**Profundidad métrica** (GLPN entrenado con NYU Depth v2): el valor son **metros** desde "
        "la cámara (**mayor = más lejos**). Solo es fiable en escenas parecidas a las del "
        "entrenamiento: habitaciones de interior hasta unos 10 m.\n\n"
        "**Qué significan los colores**: la página pinta siempre **cerca en colores claros y "
        "cálidos** (amarillo) y **lejos en oscuros** (morado, negro), sea cual sea el modelo. La "
        "barra de colores a la derecha del mapa dice qué valor tiene cada color: metros en un "
        "modelo métrico, solo *cerca*/*lejos* en uno relativo.\n\n"
        "**Vista 3-D**: cada píxel de la foto (reducida a unos 96×96 puntos, para que el navegador "
        "vaya rápido) se empuja hacia atrás según su profundidad. Gira la vista con el ratón."
    ),
    "depth.cmap": "Colores del mapa",
    "depth.cmap_help": "Siempre claro = cerca y oscuro = lejos; solo cambia la paleta.",
    "depth.cmap_inferno": "Inferno (negro → amarillo)",
    "depth.cmap_viridis": "Viridis (morado → amarillo)",
    "depth.cmap_gray": "Grises (negro → blanco)",
    "depth.blend": "Mezcla foto ↔ mapa",
    "depth.blend_help": "0 = solo la foto, 1 = solo el mapa de profundidad.",
    "depth.show_3d": "Vista 3-D",
    "depth.show_3d_help": "La foto como una superficie en 3-D, empujada hacia atrás según la profundidad.",
    "depth.resized": "La foto mide {width}×{height} píxeles; se estima la profundidad de una copia de {w}×{h}.",
    "depth.model_side": "Este modelo recibe la foto a {side} px de lado como mucho: se entrenó con fotos de ese "
    "tamaño, y más píxeles solo le costarían memoria y tiempo (no ve más detalle).",
    "depth.kind_relative": "Profundidad relativa: mayor = más cerca, sin unidad.",
    "depth.kind_metric": "Profundidad métrica: metros desde la cámara (entrenado con habitaciones de interior).",
    "depth.photo_caption": "La foto",
    "depth.map_caption": "Mapa de profundidad: claro = cerca, oscuro = lejos",
    "depth.blend_caption": "Foto y mapa mezclados ({amount:.0%} de mapa)",
    "depth.bar_near": "cerca",
    "depth.bar_far": "lejos",
    "depth.bar_title_relative": "relativa",
    "depth.bar_title_metric": "metros",
    "depth.stats": "Valores del mapa",
    "depth.col_statistic": "Estadístico",
    "depth.col_value": "Valor",
    "depth.stat_min": "mínimo",
    "depth.stat_p5": "percentil 5",
    "depth.stat_median": "mediana",
    "depth.stat_p95": "percentil 95",
    "depth.stat_max": "máximo",
    "depth.stat_mean": "media",
    "depth.view3d": "La foto en 3-D",
    "depth.view3d_caption": "Reducida a {w}×{h} puntos para que el navegador vaya rápido; arrastra para girarla.",
    "depth.axis_metric": "distancia (m)",
    "depth.axis_relative": "distancia relativa",
    "depth.download_png16": "Descargar valores (PNG de 16 bits)",
    "depth.download_npy": "Descargar valores (.npy)",
    "depth.downloads_metric": "PNG: el mapa con su barra · PNG de 16 bits: milímetros · .npy: metros exactos (float32).",
    "depth.downloads_relative": (
        "PNG: el mapa con su barra · PNG de 16 bits: del mínimo (0) al máximo (65535) · .npy: los "
        "valores exactos (float32)."
    ),
    "errors.bad_depth": "El mapa de profundidad no es válido: debe ser una tabla de 2 dimensiones de números finitos.",
    "errors.depth_bad_cmap": "Esa paleta de colores no existe.",
}

EN = {
    "depth.nav": "Depth",
    "depth.title": "Depth estimation",
    "depth.intro": (
        "A model looks at a single photo and estimates how far away each pixel is: the depth map in "
        "colour, blended with the photo and in 3-D."
    ),
    "home.card_depth": "Depth Anything, DPT and GLPN: a photo's depth map, its colour bar and a 3-D view.",
    "depth.how": (
        "**Monocular depth**: with **a single camera** there are no two viewpoints to compare (as our "
        "two eyes or a stereo camera do). The model learns cues from millions of photos: far objects "
        "look smaller and higher up, parallel lines meet in the distance, objects hide one another, "
        "texture gets finer and haze lightens the background. With those cues it gives **one value "
        "per pixel**: the depth map.\n\n"
        "**Relative depth** (Depth Anything V2, DPT/MiDaS): the value says what is **nearer or "
        "farther**, but not how many metres. It is an *inverse depth* (disparity): **larger = "
        "nearer**, no unit. It works for any photo, indoors or outdoors.\n\n"
        "**Metric depth** (GLPN trained on NYU Depth v2): the value is **metres** from the camera "
        "(**larger = farther**). It is only reliable in scenes like the training ones: indoor rooms "
        "up to about 10 m.\n\n"
        "**What the colours mean**: the page always paints **near in light, warm colours** (yellow) "
        "and **far in dark ones** (purple, black), whatever the model. The colour bar to the right "
        "of the map says which value each colour has: metres for a metric model, just *near*/*far* "
        "for a relative one.\n\n"
        "**3-D view**: each pixel of the photo (shrunk to about 96×96 points, so the browser stays "
        "fast) is pushed back by its depth. Turn the view with the mouse."
    ),
    "depth.cmap": "Map colours",
    "depth.cmap_help": "Always light = near and dark = far; only the palette changes.",
    "depth.cmap_inferno": "Inferno (black → yellow)",
    "depth.cmap_viridis": "Viridis (purple → yellow)",
    "depth.cmap_gray": "Grey (black → white)",
    "depth.blend": "Blend photo ↔ map",
    "depth.blend_help": "0 = only the photo, 1 = only the depth map.",
    "depth.show_3d": "3-D view",
    "depth.show_3d_help": "The photo as a 3-D surface, pushed back by its depth.",
    "depth.resized": "The photo is {width}×{height} pixels; the depth of a {w}×{h} copy is estimated.",
    "depth.model_side": "This model gets the photo at {side} px on its long side at most: it was trained on photos "
    "of that size, and more pixels would only cost it memory and time (it sees no more detail).",
    "depth.kind_relative": "Relative depth: larger = nearer, no unit.",
    "depth.kind_metric": "Metric depth: metres from the camera (trained on indoor rooms).",
    "depth.photo_caption": "The photo",
    "depth.map_caption": "Depth map: light = near, dark = far",
    "depth.blend_caption": "Photo and map blended ({amount:.0%} map)",
    "depth.bar_near": "near",
    "depth.bar_far": "far",
    "depth.bar_title_relative": "relative",
    "depth.bar_title_metric": "metres",
    "depth.stats": "Values of the map",
    "depth.col_statistic": "Statistic",
    "depth.col_value": "Value",
    "depth.stat_min": "minimum",
    "depth.stat_p5": "5th percentile",
    "depth.stat_median": "median",
    "depth.stat_p95": "95th percentile",
    "depth.stat_max": "maximum",
    "depth.stat_mean": "mean",
    "depth.view3d": "The photo in 3-D",
    "depth.view3d_caption": "Shrunk to {w}×{h} points so the browser stays fast; drag to turn it.",
    "depth.axis_metric": "distance (m)",
    "depth.axis_relative": "relative distance",
    "depth.download_png16": "Download values (16-bit PNG)",
    "depth.download_npy": "Download values (.npy)",
    "depth.downloads_metric": "PNG: the map with its bar · 16-bit PNG: millimetres · .npy: exact metres (float32).",
    "depth.downloads_relative": (
        "PNG: the map with its bar · 16-bit PNG: minimum (0) to maximum (65535) · .npy: the exact values (float32)."
    ),
    "errors.bad_depth": "The depth map is not valid: it must be a 2-D table of finite numbers.",
    "errors.depth_bad_cmap": "That colour palette does not exist.",
}
