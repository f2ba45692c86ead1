"""Spanish names of the class names students see: COCO's 80 detection classes (DETR, YOLOS, YOLO,
YOLO11n-seg) and ADE20K's 150 segmentation classes (SegFormer), keyed by the name the model gives.

The model's own name stays beside the Spanish one, as Pictionary shows its sketch classes: it is
what the code, the CSV downloads and the "type a label" box use.

Example:
    >>> label("person", "es"), label("person", "en"), label("pizza", "es"), label("spaceship", "es")
    ('persona (person)', 'person', 'pizza', 'spaceship')
"""

from __future__ import annotations

# COCO's 80 classes in Ultralytics' order (engine.tasks.detection.COCO_NAMES), Spain's Spanish.
COCO_ES = {
    "person": "persona",
    "bicycle": "bicicleta",
    "car": "coche",
    "motorcycle": "moto",
    "airplane": "avión",
    "bus": "autobús",
    "train": "tren",
    "truck": "camión",
    "boat": "barco",
    "traffic light": "semáforo",
    "fire hydrant": "boca de incendios",
    "stop sign": "señal de stop",
    "parking meter": "parquímetro",
    "bench": "banco",
    "bird": "pájaro",
    "cat": "gato",
    "dog": "perro",
    "horse": "caballo",
    "sheep": "oveja",
    "cow": "vaca",
    "elephant": "elefante",
    "bear": "oso",
    "zebra": "cebra",
    "giraffe": "jirafa",
    "backpack": "mochila",
    "umbrella": "paraguas",
    "handbag": "bolso",
    "tie": "corbata",
    "suitcase": "maleta",
    "frisbee": "frisbi",
    "skis": "esquís",
    "snowboard": "tabla de snowboard",
    "sports ball": "balón",
    "kite": "cometa",
    "baseball bat": "bate de béisbol",
    "baseball glove": "guante de béisbol",
    "skateboard": "monopatín",
    "surfboard": "tabla de surf",
    "tennis racket": "raqueta de tenis",
    "bottle": "botella",
    "wine glass": "copa de vino",
    "cup": "taza",
    "fork": "tenedor",
    "knife": "cuchillo",
    "spoon": "cuchara",
    "bowl": "cuenco",
    "banana": "plátano",
    "apple": "manzana",
    "sandwich": "sándwich",
    "orange": "naranja",
    "broccoli": "brócoli",
    "carrot": "zanahoria",
    "hot dog": "perrito caliente",
    "pizza": "pizza",
    "donut": "dónut",
    "cake": "tarta",
    "chair": "silla",
    "couch": "sofá",
    "potted plant": "planta en maceta",
    "bed": "cama",
    "dining table": "mesa de comedor",
    "toilet": "inodoro",
    "tv": "televisor",
    "laptop": "portátil",
    "mouse": "ratón",
    "remote": "mando a distancia",
    "keyboard": "teclado",
    "cell phone": "teléfono móvil",
    "microwave": "microondas",
    "oven": "horno",
    "toaster": "tostadora",
    "sink": "fregadero",
    "refrigerator": "frigorífico",
    "book": "libro",
    "clock": "reloj",
    "vase": "jarrón",
    "scissors": "tijeras",
    "teddy bear": "osito de peluche",
    "hair drier": "secador de pelo",
    "toothbrush": "cepillo de dientes",
}

# ADE20K's 150 classes in SegFormer's id order, spelt as its config's id2label ("conveyer belt")
# but for stray spaces (the config has "bed ": lookups ignore them). Each name is the first
# synonym of ADE20K's list, so the Spanish follows the scene-parsing sense ("pot" is a flowerpot,
# "tank" a storage tank, "hood" a cooker hood, "screen" a projection screen).
ADE20K_ES = {
    "wall": "pared",
    "building": "edificio",
    "sky": "cielo",
    "floor": "suelo",
    "tree": "árbol",
    "ceiling": "techo",
    "road": "carretera",
    "bed": "cama",
    "windowpane": "ventana",
    "grass": "hierba",
    "cabinet": "armario",
    "sidewalk": "acera",
    "person": "persona",
    "earth": "tierra",
    "door": "puerta",
    "table": "mesa",
    "mountain": "montaña",
    "plant": "planta",
    "curtain": "cortina",
    "chair": "silla",
    "car": "coche",
    "water": "agua",
    "painting": "cuadro",
    "sofa": "sofá",
    "shelf": "estante",
    "house": "casa",
    "sea": "mar",
    "mirror": "espejo",
    "rug": "alfombra",
    "field": "campo",
    "armchair": "sillón",
    "seat": "asiento",
    "fence": "valla",
    "desk": "escritorio",
    "rock": "roca",
    "wardrobe": "armario ropero",
    "lamp": "lámpara",
    "bathtub": "bañera",
    "railing": "barandilla",
    "cushion": "cojín",
    "base": "pedestal",
    "box": "caja",
    "column": "columna",
    "signboard": "letrero",
    "chest of drawers": "cómoda",
    "counter": "mostrador",
    "sand": "arena",
    "sink": "fregadero",
    "skyscraper": "rascacielos",
    "fireplace": "chimenea",
    "refrigerator": "frigorífico",
    "grandstand": "tribuna",
    "path": "camino",
    "stairs": "escaleras",
    "runway": "pista de aterrizaje",
    "case": "vitrina",
    "pool table": "mesa de billar",
    "pillow": "almohada",
    "screen door": "puerta mosquitera",
    "stairway": "escalinata",
    "river": "río",
    "bridge": "puente",
    "bookcase": "estantería para libros",
    "blind": "persiana",
    "coffee table": "mesa de centro",
    "toilet": "inodoro",
    "flower": "flor",
    "book": "libro",
    "hill": "colina",
    "bench": "banco",
    "countertop": "encimera",
    "stove": "cocina (fogones)",
    "palm": "palmera",
    "kitchen island": "isla de cocina",
    "computer": "ordenador",
    "swivel chair": "silla giratoria",
    "boat": "barco",
    "bar": "barra de bar",
    "arcade machine": "máquina recreativa",
    "hovel": "chabola",
    "bus": "autobús",
    "towel": "toalla",
    "light": "luz",
    "truck": "camión",
    "tower": "torre",
    "chandelier": "lámpara de araña",
    "awning": "toldo",
    "streetlight": "farola",
    "booth": "cabina",
    "television receiver": "televisor",
    "airplane": "avión",
    "dirt track": "pista de tierra",
    "apparel": "ropa",
    "pole": "poste",
    "land": "terreno",
    "bannister": "pasamanos",
    "escalator": "escalera mecánica",
    "ottoman": "puf",
    "bottle": "botella",
    "buffet": "aparador",
    "poster": "póster",
    "stage": "escenario",
    "van": "furgoneta",
    "ship": "buque",
    "fountain": "fuente",
    "conveyer belt": "cinta transportadora",
    "canopy": "marquesina",
    "washer": "lavadora",
    "plaything": "juguete",
    "swimming pool": "piscina",
    "stool": "taburete",
    "barrel": "barril",
    "basket": "cesta",
    "waterfall": "cascada",
    "tent": "tienda de campaña",
    "bag": "bolsa",
    "minibike": "moto",
    "cradle": "cuna",
    "oven": "horno",
    "ball": "pelota",
    "food": "comida",
    "step": "escalón",
    "tank": "depósito",
    "trade name": "nombre comercial",
    "microwave": "microondas",
    "pot": "maceta",
    "animal": "animal",
    "bicycle": "bicicleta",
    "lake": "lago",
    "dishwasher": "lavavajillas",
    "screen": "pantalla de proyección",
    "blanket": "manta",
    "sculpture": "escultura",
    "hood": "campana extractora",
    "sconce": "aplique",
    "vase": "jarrón",
    "traffic light": "semáforo",
    "tray": "bandeja",
    "ashcan": "cubo de basura",
    "fan": "ventilador",
    "pier": "muelle",
    "crt screen": "pantalla CRT",
    "plate": "plato",
    "monitor": "monitor",
    "bulletin board": "tablón de anuncios",
    "shower": "ducha",
    "radiator": "radiador",
    "glass": "vaso",
    "clock": "reloj",
    "flag": "bandera",
}

# Both tables in one: a name the two datasets share ("person", "car") means the same thing.
NAMES_ES = {**ADE20K_ES, **COCO_ES, "conveyor belt": ADE20K_ES["conveyer belt"]}


def _key(name: str) -> str:
    """Configs differ in case and stray spaces (SegFormer's ``"bed "``)."""
    return " ".join(name.split()).lower()


_BY_KEY = {_key(name): spanish for name, spanish in NAMES_ES.items()}


def spanish_name(name: str) -> str | None:
    """The Spanish name of a class, or ``None`` when the tables do not have it.

    Example:
        >>> spanish_name("bed "), spanish_name("Traffic Light"), spanish_name("N/A")
        ('cama', 'semáforo', None)
    """
    return _BY_KEY.get(_key(name))


def label(name: str, lang: str) -> str:
    """A class name as a student should read it: ``"persona (person)"`` in Spanish (just the name
    when both are spelt alike), the model's name in English, and any unknown name unchanged.

    Example:
        >>> label("bed ", "es"), label("bed ", "en"), label("teddy bear", "es")
        ('cama (bed)', 'bed ', 'osito de peluche (teddy bear)')
    """
    spanish = spanish_name(name) if lang == "es" else None
    if spanish is None:
        return name
    original = " ".join(name.split())
    return original if spanish == original else f"{spanish} ({original})"
