"""The code a student would write to get the page's numbers, on their own files, with comments and
names in the page's language.

Example:
    >>> "Image.open('cat.jpg')" in code_snippet("openai/clip-vit-base-patch32", ["cat", "dog"], file_name="cat.jpg")
    True
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.models import registry
from engine.tasks.clip.labels import DEFAULT_TEMPLATE

_WORDS = {
    "es": {
        "classifier": "clasificador",
        "image": "imagen",
        "labels": "etiquetas",
        "results": "resultados",
        "model": "modelo",
        "processor": "procesador",
        "sentences": "frases",
        "inputs": "entradas",
        "output": "salida",
        "cosine": "coseno",
        "probs": "probabilidades",
        "files": "archivos",
        "images": "imagenes",
        "descriptions": "descripciones",
        "table": "tabla",
        "prediction": "predicción",
        "csv": "taller_clip.csv",
        "c_sorted": "# ya vienen ordenados, de mayor a menor",
        "c_normalised": "# image_embeds y text_embeds ya vienen normalizados: su producto es el coseno",
        "c_softmax": "# coseno × 100, softmax",
        "c_batch": "# Un solo lote: todas las imágenes y todas las descripciones a la vez",
        "c_rows": "# filas: imágenes; columnas: descripciones",
        "line": "{e}: coseno {c:.3f} · probabilidad {p:.1%}",
        "default_file": "foto.jpg",
        "file_n": "imagen_{}.jpg",
        "file": "archivo",
        "row": "fila",
        "c_print": "# Cada imagen: su predicción y la probabilidad de cada descripción (3 decimales)",
    },
    "en": {
        "classifier": "classifier",
        "image": "image",
        "labels": "labels",
        "results": "results",
        "model": "model",
        "processor": "processor",
        "sentences": "sentences",
        "inputs": "inputs",
        "output": "output",
        "cosine": "cosine",
        "probs": "probabilities",
        "files": "files",
        "images": "images",
        "descriptions": "descriptions",
        "table": "table",
        "prediction": "prediction",
        "csv": "clip_workshop.csv",
        "c_sorted": "# already sorted, highest first",
        "c_normalised": "# image_embeds and text_embeds come normalised: their product is the cosine",
        "c_softmax": "# cosine × 100, softmax",
        "c_batch": "# One batch: every image and every description at once",
        "c_rows": "# rows: images; columns: descriptions",
        "line": "{e}: cosine {c:.3f} · probability {p:.1%}",
        "default_file": "photo.jpg",
        "file_n": "image_{}.jpg",
        "file": "file",
        "row": "row",
        "c_print": "# Each image: its prediction and the probability of each description (3 decimals)",
    },
}


def _words(lang: str) -> dict[str, str]:
    return _WORDS["en" if lang == "en" else "es"]


def code_snippet(
    model_id: str,
    labels: Sequence[str],
    template: str = DEFAULT_TEMPLATE,
    *,
    cosine: bool = False,
    file_name: str = "",
    lang: str = "es",
) -> str:
    """The Python a student would write for the same result on their file ``file_name`` (labels and
    file name as Python literals, never code); comments and names in ``lang`` ("es" or "en")."""
    spec = registry.get(model_id)
    w = _words(lang)
    name = repr(file_name or w["default_file"])
    img, lab = w["image"], w["labels"]
    if not cosine:
        return (
            "from transformers import pipeline\n"
            "from PIL import Image\n\n"
            f'{w["classifier"]} = pipeline("zero-shot-image-classification", model="{spec.id}")\n'
            f'{img} = Image.open({name}).convert("RGB")\n'
            f"{lab} = {list(labels)!r}\n"
            f"{w['results']} = {w['classifier']}({img}, candidate_labels={lab}, hypothesis_template={template!r})\n"
            f"for r in {w['results']}:  {w['c_sorted']}\n"
            "    print(f\"{r['label']}: {r['score']:.1%}\")\n"
        )
    model, proc, out = w["model"], w["processor"], w["output"]
    line = w["line"]
    return (
        "import torch\n"
        "from PIL import Image\n"
        "from transformers import CLIPModel, CLIPProcessor\n\n"
        f'{model} = CLIPModel.from_pretrained("{spec.id}").eval()\n'
        f'{proc} = CLIPProcessor.from_pretrained("{spec.id}")\n'
        f'{img} = Image.open({name}).convert("RGB")\n'
        f"{lab} = {list(labels)!r}\n"
        f"{w['sentences']} = [{template!r}.format(e) for e in {lab}]\n"
        f'{w["inputs"]} = {proc}(text={w["sentences"]}, images={img}, return_tensors="pt", padding=True)\n'
        "with torch.inference_mode():\n"
        f"    {out} = {model}(**{w['inputs']})\n"
        f"{w['c_normalised']}\n"
        f"{w['cosine']} = ({out}.image_embeds @ {out}.text_embeds.T)[0]\n"
        f"{w['probs']} = {out}.logits_per_image.softmax(dim=-1)[0]  {w['c_softmax']}\n"
        f"for e, c, p in sorted(zip({lab}, {w['cosine']}, {w['probs']}), key=lambda x: -x[1]):\n"
        f'    print(f"{line}")\n'
    )


def workshop_snippet(
    model_id: str,
    descriptions: Sequence[str],
    n_images: int = 5,
    *,
    file_names: Sequence[str] = (),
    lang: str = "es",
) -> str:
    """The workshop in plain transformers: every image × every description in one batched call, on
    the student's files ``file_names`` (else ``n_images`` numbered names); in ``lang``."""
    spec = registry.get(model_id)
    w = _words(lang)
    files = list(file_names) or [w["file_n"].format(i) for i in range(1, max(1, n_images) + 1)]
    model, proc, out, table, desc = w["model"], w["processor"], w["output"], w["table"], w["descriptions"]
    return (
        "import pandas as pd\n"
        "import torch\n"
        "from PIL import Image\n"
        "from transformers import CLIPModel, CLIPProcessor\n\n"
        f'{model} = CLIPModel.from_pretrained("{spec.id}").eval()\n'
        f'{proc} = CLIPProcessor.from_pretrained("{spec.id}")\n'
        f"{w['files']} = {files!r}\n"
        f'{w["images"]} = [Image.open(a).convert("RGB") for a in {w["files"]}]\n'
        f"{desc} = {list(descriptions)!r}\n\n"
        f"{w['c_batch']}\n"
        f'{w["inputs"]} = {proc}(text={desc}, images={w["images"]}, return_tensors="pt", padding=True)\n'
        "with torch.inference_mode():\n"
        f"    {out} = {model}(**{w['inputs']})\n"
        f"{w['probs']} = {out}.logits_per_image.softmax(dim=1)  {w['c_rows']}\n\n"
        f"{table} = pd.DataFrame({w['probs']}.numpy(), index={w['files']}, columns={desc})\n"
        f'{table}["{w["prediction"]}"] = {table}.idxmax(axis=1)\n'
        f'{table}.to_csv("{w["csv"]}")\n'
        f"{w['c_print']}\n"
        f'for {w["file"]}, {w["row"]}, pred in zip({w["files"]}, {w["probs"]}.tolist(), {table}["{w["prediction"]}"]):\n'
        f'    print(f"{{{w["file"]}}} → {{pred}}")\n'
        f"    for d, p in zip({desc}, {w['row']}):\n"
        '        print(f"  {d}: {p:.3f}")\n'
    )
