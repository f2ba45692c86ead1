"""Which ImageNet labels a folder name means: a small table of Spanish and English words, then the
label names themselves, as a plain dict the student edits (folder -> ImageNet labels).

A supervised classifier only knows its 1000 ImageNet classes; a folder ``gato`` is right when the
model says any of the five cat classes. The table gives indices (ImageNet's order, which every
ImageNet-1k model here shares); a folder the table does not know is matched against the labels'
own names ("espresso", "golden retriever", "retriever" -> every retriever).

Example:
    >>> labels = [f"class {i}" for i in range(1000)]
    >>> labels[281:286] = ["tabby, tabby cat", "tiger cat", "Persian cat", "Siamese cat, Siamese", "Egyptian cat"]
    >>> suggest_mapping(["gatos", "astronauta"], labels)
    {'gatos': ['tabby, tabby cat', 'tiger cat', 'Persian cat', 'Siamese cat, Siamese', 'Egyptian cat'], 'astronauta': []}
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from engine.errors import InvalidInput

IMAGENET_CLASSES = 1000

_CATS = (281, 282, 283, 284, 285)
_DOGS = tuple(range(151, 269))  # ImageNet's 118 dog breeds, Chihuahua to Mexican hairless
_CUPS = (968, 504)  # cup, coffee mug
_ROCKETS = (657, 744, 812)  # missile, projectile, space shuttle
_MOTORBIKES = (665, 670)  # moped, motor scooter: ImageNet has no "motorcycle"
_CARS = (436, 468, 511, 609, 627, 656, 661, 717, 751, 817)
_BUSES = (654, 779, 874)
_PLANES = (404, 895)
_BIKES = (444, 671)
_BIRDS = (*range(7, 25), *range(80, 101), *range(127, 147))
_FISH = (0, 1, 2, 3, 4, *range(389, 398))
_WOLVES = (269, 270, 271, 272)

# Words (lower case, no accents, singular) -> ImageNet class indices. Spanish and English side by side.
WORDS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(("cat", "kitten", "gato", "gatito", "minino"), _CATS),
    **dict.fromkeys(("dog", "puppy", "perro", "perrito", "cachorro"), _DOGS),
    **dict.fromkeys(("cup", "taza"), _CUPS),
    **dict.fromkeys(("mug", "tazon"), (504,)),
    **dict.fromkeys(("coffee", "cafe"), (967, *_CUPS)),
    **dict.fromkeys(("rocket", "cohete", "missile", "misil"), _ROCKETS),
    **dict.fromkeys(("motorcycle", "motorbike", "moto", "motocicleta", "scooter", "ciclomotor"), _MOTORBIKES),
    **dict.fromkeys(("car", "coche", "carro", "auto", "automovil"), _CARS),
    **dict.fromkeys(("bus", "autobus"), _BUSES),
    **dict.fromkeys(("airplane", "plane", "aeroplane", "avion"), _PLANES),
    **dict.fromkeys(("bicycle", "bike", "bicicleta", "bici"), _BIKES),
    **dict.fromkeys(("bird", "pajaro", "ave"), _BIRDS),
    **dict.fromkeys(("fish", "pez", "peces", "pescado"), _FISH),
    **dict.fromkeys(("wolf", "lobo"), _WOLVES),
    **dict.fromkeys(("horse", "caballo"), (339,)),
    **dict.fromkeys(("banana", "platano"), (954,)),
    **dict.fromkeys(("orange", "naranja"), (950,)),
    **dict.fromkeys(("lemon", "limon"), (951,)),
    **dict.fromkeys(("strawberry", "fresa", "frutilla"), (949,)),
    **dict.fromkeys(("apple", "manzana"), (948,)),
    **dict.fromkeys(("pizza",), (963,)),
}


def normalise(name: str) -> str:
    """A folder or label name for matching: no accents, lower case, ``_``, ``-`` and digits as spaces.

    Example:
        >>> normalise("02_Pájaros-Azules")
        'pajaros azules'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_\d]+", " ", text).split())


def _singulars(word: str) -> list[str]:
    """``word`` and what it may be the plural of (gatos -> gato, autobuses -> autobus, cats -> cat)."""
    out = [word]
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s"):
        out.append(word[:-1])
    return out


def _synonyms(label: str) -> list[str]:
    return [normalise(s) for s in label.split(",") if normalise(s)]


def suggest(folder: str, labels: Sequence[str]) -> list[str]:
    """The labels of ``labels`` (a model's, in index order) that the folder name ``folder`` means.

    The word table when ``labels`` are ImageNet's 1000 classes, else (or for a word it lacks) the
    labels whose name, or the last word of a name, is the folder's ("retriever" -> every retriever).

    Example:
        >>> suggest("espresso", ["cup", "espresso", "espresso maker"])
        ['espresso']
    """
    key = normalise(folder)
    if not key:
        return []
    candidates = [s for word in _singulars(key) for s in _singulars(word)] if " " not in key else [key]
    if len(labels) == IMAGENET_CLASSES:
        for word in candidates:
            if word in WORDS:
                return [labels[i] for i in WORDS[word]]
    found = []
    for label in labels:
        names = _synonyms(label)
        if any(n in candidates or n.split()[-1] in candidates for n in names):
            found.append(label)
    return found


def suggest_mapping(folders: Sequence[str], labels: Sequence[str]) -> dict[str, list[str]]:
    """Every folder's suggested labels (``[]`` when none: every photo of it will count as wrong)."""
    return {folder: suggest(folder, labels) for folder in folders}


def check_mapping(
    mapping: Mapping[str, Sequence[str]], folders: Sequence[str], labels: Sequence[str] = ()
) -> dict[str, list[str]]:
    """The mapping for ``folders`` (a folder missing from it maps to nothing), refused when a label is
    not the model's (``labels``; not checked when empty) or two folders claim the same label.

    Example:
        >>> check_mapping({"cat": ["tabby"], "x": ["y"]}, ["cat", "dog"], ["tabby", "pug"])
        {'cat': ['tabby'], 'dog': []}
    """
    known = set(labels)
    owner: dict[str, str] = {}
    out: dict[str, list[str]] = {}
    for folder in folders:
        chosen = list(dict.fromkeys(str(x) for x in mapping.get(folder, ())))
        for label in chosen:
            if known and label not in known:
                raise InvalidInput(
                    f"The mapping of {folder} names {label}, which is not one of the model's labels.",
                    code="labelled_unknown_label",
                    folder=folder,
                    label=label,
                )
            if label in owner:
                raise InvalidInput(
                    f"{label} is mapped to two folders, {owner[label]} and {folder}; a label can mean one class only.",
                    code="labelled_label_twice",
                    label=label,
                    first=owner[label],
                    second=folder,
                )
            owner[label] = folder
        out[folder] = chosen
    return out
