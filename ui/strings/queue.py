"""Strings of the inference queue (ui.queue)."""

ES = {
    "queue.waiting": "En cola: {ahead} por delante, ~{eta:.0f} s",
    "errors.queue_superseded": "Una petición más reciente de esta misma página ha ocupado su lugar en la cola.",
}

EN = {
    "queue.waiting": "Queued: {ahead} ahead, ~{eta:.0f} s",
    "errors.queue_superseded": "A newer request from this same page took its place in the queue.",
}
