"""Pictionary page strings, and the Spanish names of the Quick-Draw CNN's 100 classes."""

ES = {
    "pictionary.nav": "Pictionary",
    "pictionary.title": "Pictionary: dibuja y la red adivina",
    "pictionary.intro": (
        "Dibuja con el ratón (o el dedo) y una red convolucional pequeña, entrenada con los dibujos de "
        "Quick, Draw! de Google, adivina qué es entre 100 clases a cada trazo."
    ),
    "pictionary.how": (
        "**El modelo** es la CNN del Space `nateraw/quickdraw`: tres bloques *convolución 3×3 → ReLU → "
        "max-pooling*, que pasan la imagen de 28×28 a 14×14, 7×7 y 3×3 mientras aprenden trazos, "
        "esquinas y formas; luego dos capas densas (1152 → 256 → 100) dan una puntuación por clase, y "
        "*softmax* las convierte en probabilidades.\n\n"
        "**La entrada importa tanto como el modelo.** Los dibujos de Quick, Draw! se guardaron como "
        "trazos (listas de puntos) y se convirtieron en mapas de bits de 28×28 así: se recorta el "
        "dibujo a su caja, se escala para que su lado mayor llene el cuadro, se centra, y se pinta "
        "**en blanco sobre negro** con un grosor de línea fijo. Si reducimos el lienzo entero a 28×28 "
        "(trazo negro sobre blanco, el dibujo donde caiga y con el grosor del pincel), la red ve algo "
        "que nunca vio al entrenar y casi siempre falla. Por eso la app toma los **trazos** del lienzo "
        "y repite la conversión de Quick, Draw!: un dibujo pequeño en una esquina se reconoce igual "
        "que uno grande en el centro. Debajo de la gráfica ves la imagen de 28×28 que recibe la red.\n\n"
        "**El juego** es como *Quick, Draw!*: 6 rondas de 20 segundos; ganas la ronda en cuanto la "
        "primera opción de la red es la palabra pedida."
    ),
    "pictionary.mode": "Modo",
    "pictionary.mode_free": "Dibujo libre",
    "pictionary.mode_game": "Juego (6 rondas)",
    "pictionary.stroke_width": "Grosor del trazo",
    "pictionary.stroke_help": "No cambia lo que ve la red: los trazos se vuelven a pintar con el grosor de Quick, Draw!",
    "pictionary.clear": "Borrar el dibujo",
    "pictionary.canvas_help": (
        "Dibuja con el ratón. La barra sobre el lienzo deshace (↶) y rehace (↷) trazos, o los borra todos (🗑)."
    ),
    "pictionary.draw_prompt": "Dibuja algo en el lienzo: la red intentará adivinarlo a cada trazo.",
    "pictionary.draw_more": (
        "Dibuja algo más: un punto o una raya corta no dicen qué es (la red lo ampliaría hasta llenar "
        "su cuadro de 28×28 y adivinaría a ciegas)."
    ),
    "pictionary.guess": "Creo que es: **{label}** ({score})",
    "pictionary.top_title": "Las 5 clases más probables",
    "pictionary.col_rank": "#",
    "pictionary.col_label": "Clase",
    "pictionary.col_es": "En español",
    "pictionary.col_score": "Probabilidad",
    "pictionary.model_sees": "Lo que ve la red (28×28, ampliado)",
    "pictionary.model_sees_caption": (
        "Tu dibujo recortado, centrado y repintado en blanco sobre negro, como los dibujos de entrenamiento."
    ),
    "pictionary.classes": "{n:La única clase|Las # clases} que conoce la red",
    "pictionary.source": "Pesos: {where} · {ms:.0f} ms",
    "pictionary.from_pixels": "El lienzo no dio trazos: se han sacado de los píxeles del dibujo.",
    "pictionary.download_drawing": "Descargar el dibujo (PNG)",
    "pictionary.download_drawing_help": "El archivo que abre el código de abajo: tus trazos en negro sobre blanco.",
    "game.start": "Empezar partida",
    "game.intro": (
        "6 rondas de 20 segundos. En cada una te pido una cosa; dibújala y ganas la ronda en cuanto la "
        "red la adivine. Si se acaba el tiempo, pasamos a la siguiente."
    ),
    "game.round": "Ronda {n} de {total}",
    "game.draw_this": "Dibuja: **{label}**",
    "game.time_left": "⏱️ {s:Queda|Quedan} **{s}** s",
    "game.time_up": "⏱️ ¡Se acabó el tiempo!",
    "game.skip": "Pasar",
    "game.quit": "Terminar la partida",
    "game.thinking": "La red ve… **{label}** ({score})",
    "game.ended_won": "Ronda {n}: ¡acertada! Era {label} 🎉",
    "game.ended_lost": "Ronda {n}: se acabó el tiempo. Era {label}",
    "game.ended_skipped": "Ronda {n}: saltada. Era {label}",
    "game.level": "Nivel",
    "game.level_easy": "Fácil",
    "game.level_normal": "Media",
    "game.level_all": "Todas",
    "game.level_help": (
        "Fácil: las {easy} clases que la red reconoce mejor, medido así: un dibujo sencillo de cada clase "
        "(hecho por la app, no por personas), trazado 24 veces con pulso distinto; la red acierta en "
        "al menos el 90 % de ellos. Media: las que acierta al menos la mitad de las veces. Todas: "
        "cualquiera de las 100 clases, al azar (solo se midieron {measured} clases sencillas; ventilador de "
        "techo o trampolín salen solo aquí)."
    ),
    "game.summary": "Resultado: {score} de {total}",
    "game.summary_counts": "{won:# acertada|# acertadas} · {lost:# perdida|# perdidas} por tiempo · {skipped:# saltada|# saltadas}",
    "game.summary_won": "✅ {label}",
    "game.summary_lost": "❌ {label} (sin tiempo)",
    "game.summary_skipped": "⏭️ {label} (saltada)",
    "game.summary_guess": "La red vio: {guess}",
    "game.summary_nothing": "(sin dibujo)",
    "game.summary_time": "en {s:.1f} s",
    "game.play_again": "Jugar otra vez",
    "game.score_so_far": "Aciertos: {score}",
    "errors.empty_drawing": "El dibujo está vacío: traza al menos una línea en el lienzo.",
    "errors.bad_strokes": "Los trazos del dibujo tienen coordenadas no válidas. Borra el dibujo y vuelve a empezar.",
    "errors.bad_sketch_input": "La red espera una imagen de 28×28 píxeles con valores entre 0 y 1, y esta no lo es.",
    "errors.game_over": "La partida ha terminado: no queda ninguna ronda por jugar.",
    "errors.bad_rounds": (
        "No se puede preparar la partida: hace falta al menos una ronda, tantas clases distintas como rondas "
        "y un tiempo por ronda mayor que cero."
    ),
}

EN = {
    "pictionary.nav": "Pictionary",
    "pictionary.title": "Pictionary: draw and the network guesses",
    "pictionary.intro": (
        "Draw with the mouse (or a finger) and a small convolutional network, trained on Google's Quick, "
        "Draw! drawings, guesses which of 100 classes it is, on every stroke."
    ),
    "pictionary.how": (
        "**The model** is the CNN of the Space `nateraw/quickdraw`: three *3×3 convolution → ReLU → "
        "max-pooling* blocks take the 28×28 image down to 14×14, 7×7 and 3×3 while learning strokes, "
        "corners and shapes; then two dense layers (1152 → 256 → 100) give a score per class, which "
        "*softmax* turns into probabilities.\n\n"
        "**The input matters as much as the model.** Quick, Draw! stored drawings as strokes (lists of "
        "points) and turned them into 28×28 bitmaps like this: the drawing is cropped to its box, "
        "scaled so its longer side fills the square, centred, and drawn **white on black** with a fixed "
        "line width. Shrinking the whole canvas to 28×28 instead (black on white, the drawing wherever "
        "it landed and as thick as the brush) shows the network something it never saw in training, "
        "and it nearly always fails. So the app takes the canvas **strokes** and repeats Quick, Draw!'s "
        "conversion: a small drawing in a corner is recognised like a large one in the middle. Under "
        "the chart you see the 28×28 image the network gets.\n\n"
        "**The game** is like *Quick, Draw!*: 6 rounds of 20 seconds; you win a round as soon as the "
        "network's first choice is the word asked."
    ),
    "pictionary.mode": "Mode",
    "pictionary.mode_free": "Free drawing",
    "pictionary.mode_game": "Game (6 rounds)",
    "pictionary.stroke_width": "Stroke width",
    "pictionary.stroke_help": "It does not change what the network sees: strokes are redrawn at Quick, Draw!'s width.",
    "pictionary.clear": "Clear the drawing",
    "pictionary.canvas_help": "Draw with the mouse. The bar above the canvas undoes (↶) and redoes (↷) strokes, or deletes them all (🗑).",
    "pictionary.draw_prompt": "Draw something on the canvas: the network will try to guess it on every stroke.",
    "pictionary.draw_more": (
        "Draw something more: a dot or a short dash does not say what it is (the network would blow it "
        "up to fill its 28×28 square and guess blindly)."
    ),
    "pictionary.guess": "I think it is: **{label}** ({score})",
    "pictionary.top_title": "The 5 most likely classes",
    "pictionary.col_rank": "#",
    "pictionary.col_label": "Class",
    "pictionary.col_es": "In Spanish",
    "pictionary.col_score": "Probability",
    "pictionary.model_sees": "What the network sees (28×28, enlarged)",
    "pictionary.model_sees_caption": "Your drawing cropped, centred and redrawn white on black, like the training drawings.",
    "pictionary.classes": "{n:The only class|The # classes} the network knows",
    "pictionary.source": "Weights: {where} · {ms:.0f} ms",
    "pictionary.from_pixels": "The canvas gave no strokes: they were taken from the drawing's pixels.",
    "pictionary.download_drawing": "Download the drawing (PNG)",
    "pictionary.download_drawing_help": "The file the code below opens: your strokes, black on white.",
    "game.start": "Start a game",
    "game.intro": (
        "6 rounds of 20 seconds. Each round asks for a thing; draw it and you win the round as soon as "
        "the network guesses it. When time runs out, on to the next one."
    ),
    "game.round": "Round {n} of {total}",
    "game.draw_this": "Draw: **{label}**",
    "game.time_left": "⏱️ **{s}** s left",
    "game.time_up": "⏱️ Time is up!",
    "game.skip": "Skip",
    "game.quit": "End the game",
    "game.thinking": "The network sees… **{label}** ({score})",
    "game.ended_won": "Round {n}: guessed! It was {label} 🎉",
    "game.ended_lost": "Round {n}: time ran out. It was {label}",
    "game.ended_skipped": "Round {n}: skipped. It was {label}",
    "game.level": "Level",
    "game.level_easy": "Easy",
    "game.level_normal": "Medium",
    "game.level_all": "All",
    "game.level_help": (
        "Easy: the {easy} classes the network recognises best, measured like this: a simple drawing of each "
        "class (made by the app, not by people), drawn 24 times by a different unsteady hand; the "
        "network gets at least 90% of them. Medium: those it gets at least half the time. All: any of "
        "the 100 classes, at random (only {measured} simple classes were measured; ceiling fan or diving board "
        "only come up here)."
    ),
    "game.summary": "Score: {score} of {total}",
    "game.summary_counts": "{won} won · {lost} lost on time · {skipped} skipped",
    "game.summary_won": "✅ {label}",
    "game.summary_lost": "❌ {label} (out of time)",
    "game.summary_skipped": "⏭️ {label} (skipped)",
    "game.summary_guess": "The network saw: {guess}",
    "game.summary_nothing": "(no drawing)",
    "game.summary_time": "in {s:.1f} s",
    "game.play_again": "Play again",
    "game.score_so_far": "Won: {score}",
    "errors.empty_drawing": "The drawing is empty: draw at least one line.",
    "errors.bad_strokes": "The drawing's strokes have invalid coordinates. Clear the drawing and start again.",
    "errors.bad_sketch_input": "The network expects a 28×28-pixel image with values between 0 and 1, and this is not one.",
    "errors.game_over": "The game is over: there are no rounds left to play.",
    "errors.bad_rounds": (
        "The game cannot be set up: it needs at least one round, as many different classes as rounds "
        "and a time per round above zero."
    ),
}

# The model's class names (as it gives them) in Spanish, shown beside them.
CLASS_ES = {
    "airplane": "avión",
    "alarm_clock": "despertador",
    "anvil": "yunque",
    "apple": "manzana",
    "axe": "hacha",
    "baseball": "pelota de béisbol",
    "baseball_bat": "bate de béisbol",
    "basketball": "balón de baloncesto",
    "beard": "barba",
    "bed": "cama",
    "bench": "banco",
    "bicycle": "bicicleta",
    "bird": "pájaro",
    "book": "libro",
    "bread": "pan",
    "bridge": "puente",
    "broom": "escoba",
    "butterfly": "mariposa",
    "camera": "cámara de fotos",
    "candle": "vela",
    "car": "coche",
    "cat": "gato",
    "ceiling_fan": "ventilador de techo",
    "cell_phone": "teléfono móvil",
    "chair": "silla",
    "circle": "círculo",
    "clock": "reloj",
    "cloud": "nube",
    "coffee_cup": "taza de café",
    "cookie": "galleta",
    "cup": "taza",
    "diving_board": "trampolín",
    "donut": "dónut",
    "door": "puerta",
    "drums": "batería",
    "dumbbell": "mancuerna",
    "envelope": "sobre",
    "eye": "ojo",
    "eyeglasses": "gafas",
    "face": "cara",
    "fan": "ventilador",
    "flower": "flor",
    "frying_pan": "sartén",
    "grapes": "uvas",
    "hammer": "martillo",
    "hat": "sombrero",
    "headphones": "auriculares",
    "helmet": "casco",
    "hot_dog": "perrito caliente",
    "ice_cream": "helado",
    "key": "llave",
    "knife": "cuchillo",
    "ladder": "escalera de mano",
    "laptop": "portátil",
    "light_bulb": "bombilla",
    "lightning": "rayo",
    "line": "línea",
    "lollipop": "piruleta",
    "microphone": "micrófono",
    "moon": "luna",
    "mountain": "montaña",
    "moustache": "bigote",
    "mushroom": "seta",
    "pants": "pantalones",
    "paper_clip": "clip",
    "pencil": "lápiz",
    "pillow": "almohada",
    "pizza": "pizza",
    "power_outlet": "enchufe",
    "radio": "radio",
    "rainbow": "arcoíris",
    "rifle": "rifle",
    "saw": "sierra",
    "scissors": "tijeras",
    "screwdriver": "destornillador",
    "shorts": "pantalón corto",
    "shovel": "pala",
    "smiley_face": "cara sonriente",
    "snake": "serpiente",
    "sock": "calcetín",
    "spider": "araña",
    "spoon": "cuchara",
    "square": "cuadrado",
    "star": "estrella",
    "stop_sign": "señal de stop",
    "suitcase": "maleta",
    "sun": "sol",
    "sword": "espada",
    "syringe": "jeringuilla",
    "t-shirt": "camiseta",
    "table": "mesa",
    "tennis_racquet": "raqueta de tenis",
    "tent": "tienda de campaña",
    "tooth": "diente",
    "traffic_light": "semáforo",
    "tree": "árbol",
    "triangle": "triángulo",
    "umbrella": "paraguas",
    "wheel": "rueda",
    "wristwatch": "reloj de pulsera",
}
