"""What one session keeps (results, images, uploads), under a byte budget, least recently used
dropped first, so a class of sessions cannot fill the server's memory.

Example:
    >>> store = BoundedStore(budget_bytes=1000)
    >>> store.put("a", b"x" * 600)
    >>> store.put("b", b"y" * 600)  # "a" is dropped to make room
    >>> (list(store), store.used_bytes)
    (['b'], 600)
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Hashable, Iterator
from dataclasses import fields, is_dataclass
from typing import Any


def nbytes(value: Any, _seen: set[int] | None = None) -> int:
    """Bytes held by ``value``: arrays, tensors, PIL images and bytes by their buffers, containers
    and dataclasses by their contents (each object counted once).

    Example:
        >>> import numpy as np
        >>> nbytes({"mask": np.zeros((100, 100), dtype=np.uint8), "name": "cat"}) >= 10_000
        True
    """
    seen = _seen if _seen is not None else set()
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    if hasattr(value, "nbytes") and isinstance(getattr(value, "nbytes", None), int):  # numpy
        return int(value.nbytes)
    if hasattr(value, "element_size") and hasattr(value, "numel"):  # torch tensors
        return int(value.element_size() * value.numel())
    if hasattr(value, "getbands") and hasattr(value, "size"):  # PIL images: decoded pixels
        width, height = value.size
        return width * height * len(value.getbands())
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(nbytes(k, seen) + nbytes(v, seen) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return sys.getsizeof(value) + sum(nbytes(v, seen) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(nbytes(getattr(value, f.name), seen) for f in fields(value))
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return sys.getsizeof(value) + nbytes(vars(value), seen)
    return sys.getsizeof(value)


class BoundedStore:
    """A per-session LRU mapping under ``budget_bytes`` (an entry larger than the budget is kept
    alone: the newest result is always there to show)."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = int(budget_bytes)
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self.used_bytes = 0
        self.dropped = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        if key not in self._items:
            return default
        self._items.move_to_end(key)
        return self._items[key][0]

    def put(self, key: Hashable, value: Any) -> None:
        if key in self._items:
            self.used_bytes -= self._items.pop(key)[1]
        size = nbytes(value)
        self._items[key] = (value, size)
        self.used_bytes += size
        while self.used_bytes > self.budget_bytes and len(self._items) > 1:
            _, (_, old) = self._items.popitem(last=False)
            self.used_bytes -= old
            self.dropped += 1

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[Hashable]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()
        self.used_bytes = 0
