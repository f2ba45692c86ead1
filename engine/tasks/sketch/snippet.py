"""The code a student would write to get the page's guess: the Space's files, plain torch, and the
drawing the page offers as a PNG (:func:`~engine.tasks.sketch.drawing.drawing_image`) made into a
Quick Draw input with a few lines of PIL.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.tasks.sketch.model import MODEL_ID
from engine.tasks.sketch.raster import QD_BOX, QD_LINE, QD_PADDING, SIDE

# Quick Draw's 28×28 square holds the 256-unit box plus padding and a line (304 units); the ink of a
# drawing scaled to 255 units with its 16-unit line spans 271 of them.
MARGIN = (QD_BOX + 2 * QD_PADDING + QD_LINE) / (QD_BOX - 1 + QD_LINE)

_WORDS = {
    "es": {
        "weights": "pesos",
        "classes": "clases",
        "labels": "etiquetas",
        "model": "modelo",
        "drawing": "dibujo",
        "side": "lado",
        "square": "cuadrado",
        "c_space": "# Los pesos y las clases están en el Space nateraw/quickdraw (no es un repositorio de modelo).",
        "c_safe": "# weights_only=True: el archivo no puede ejecutar código; strict=True: ninguna capa se queda sin pesos.",
        "c_input": "# La entrada, como los dibujos de Quick, Draw!: trazos blancos sobre negro, recortada a su caja,\n"
        "# centrada en un cuadrado con margen, {side}x{side} píxeles, valores 0..1.",
        "c_invert": "# blanco sobre negro",
        "c_crop": "# solo el dibujo",
        "c_margin": "# el margen de Quick, Draw!",
        "c_model_input": "# El archivo es la entrada del modelo como la guarda el entregable ({side}x{side} píxeles ampliados,\n"
        "# negro sobre blanco): reducido a {side}x{side}, cada bloque vuelve a ser el píxel que vio el modelo (0..1).",
        "files": "archivos",
        "file": "archivo",
    },
    "en": {
        "weights": "weights",
        "classes": "classes",
        "labels": "labels",
        "model": "model",
        "drawing": "drawing",
        "side": "side",
        "square": "square",
        "c_space": "# The weights and the class names are in the Space nateraw/quickdraw (not a model repository).",
        "c_safe": "# weights_only=True: the file cannot run code; strict=True: no layer is left without weights.",
        "c_input": "# The input, like Quick, Draw!'s drawings: white strokes on black, cropped to its box,\n"
        "# centred in a square with a margin, {side}x{side} pixels, values 0..1.",
        "c_invert": "# white on black",
        "c_crop": "# the drawing alone",
        "c_margin": "# Quick, Draw!'s margin",
        "c_model_input": "# The file is the model's input as the deliverable saves it ({side}x{side} pixels enlarged,\n"
        "# black on white): shrunk back to {side}x{side}, each block is again the pixel the model saw (0..1).",
        "files": "files",
        "file": "file",
    },
}


def drawing_file(lang: str = "es") -> str:
    """The name the page gives the drawing's PNG, the file the snippet opens.

    Example:
        >>> drawing_file("en")
        'drawing.png'
    """
    return "drawing.png" if lang == "en" else "dibujo.png"


def code_snippet(
    top_k: int = 5,
    file_name: str = "",
    lang: str = "es",
    *,
    file_names: Sequence[str] = (),
    model_input: bool = False,
) -> str:
    """The Python a student would write to get the same guess for the drawing saved as ``file_name``
    (the page's PNG download); comments and names in ``lang`` ("es" or "en").

    ``file_names``: several drawings (a game's rounds), the model loaded once and each file's name
    printed before its guesses. ``model_input``: the files are the model's 28×28 input as the
    deliverable saves it (:func:`~engine.tasks.sketch.raster.to_image` enlarged, black on white):
    shrunk back block by block, it is exactly what the model saw, so the script prints the page's
    numbers (a drawing's PNG goes through the crop and margin below, close to the page's
    rasteriser but not the same pixels).

    Example:
        >>> "Image.open('drawing.png')" in code_snippet(3, lang="en")
        True
        >>> ".crop(" in code_snippet(3, file_names=["a.png", "b.png"], model_input=True)
        False
    """
    w = _WORDS["en" if lang == "en" else "es"]
    files = list(file_names) or [file_name or drawing_file(lang)]
    several = len(files) > 1
    # One file: its name in the code (data, never code); several: a loop over a list of them.
    src = w["file"] if several else repr(files[0])
    d, sq, side, m = w["drawing"], w["square"], w["side"], w["model"]
    if model_input:
        steps = [
            w["c_model_input"].format(side=SIDE),
            f'{d} = ImageOps.invert(Image.open({src}).convert("L"))  {w["c_invert"]}',
            f"x = np.asarray({d}.resize(({SIDE}, {SIDE}), Image.BOX), dtype=np.float32) / 255",
        ]
    else:
        steps = [
            w["c_input"].format(side=SIDE),
            f'{d} = ImageOps.invert(Image.open({src}).convert("L"))  {w["c_invert"]}',
            f"{d} = {d}.crop({d}.getbbox())  {w['c_crop']}",
            f"{side} = round(max({d}.size) * {MARGIN:.4f})  {w['c_margin']}",
            f'{sq} = Image.new("L", ({side}, {side}))',
            f"{sq}.paste({d}, (({side} - {d}.width) // 2, ({side} - {d}.height) // 2))",
            f"x = np.asarray({sq}.resize(({SIDE}, {SIDE}), Image.BOX), dtype=np.float32) / 255",
        ]
    indent = "  " if several else ""
    steps += [
        "",
        "with torch.inference_mode():",
        f"    probs = torch.softmax({m}(torch.from_numpy(x)[None, None]), dim=1)[0]",
        f"for p, i in zip(*probs.topk({top_k})):",
        f'    print(f"{indent}{{{w["labels"]}[i]}}: {{p:.1%}}")',
    ]
    lines = "\n".join(steps).splitlines()  # a comment of two lines is two lines
    if several:
        body = [f"{w['files']} = {files!r}", f"for {w['file']} in {w['files']}:", f"    print({w['file']})"]
        body += [f"    {line}".rstrip() for line in lines]
    else:
        body = lines
    return (
        "import numpy as np\n"
        "import torch\n"
        "from huggingface_hub import hf_hub_download\n"
        "from PIL import Image, ImageOps\n"
        "from torch import nn\n\n"
        f"{w['c_space']}\n"
        f'{w["weights"]} = hf_hub_download("{MODEL_ID}", "pytorch_model.bin", repo_type="space")\n'
        f'{w["classes"]} = hf_hub_download("{MODEL_ID}", "class_names.txt", repo_type="space")\n'
        f"{w['labels']} = open({w['classes']}).read().splitlines()\n\n"
        f"{m} = nn.Sequential(\n"
        '    nn.Conv2d(1, 32, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),\n'
        '    nn.Conv2d(32, 64, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),\n'
        '    nn.Conv2d(64, 128, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2),\n'
        f"    nn.Flatten(), nn.Linear(1152, 256), nn.ReLU(), nn.Linear(256, len({w['labels']})),\n"
        ")\n"
        f"{w['c_safe']}\n"
        f'{m}.load_state_dict(torch.load({w["weights"]}, map_location="cpu", weights_only=True), strict=True)\n'
        f"{m}.eval()\n\n" + "\n".join(body) + "\n"
    )
