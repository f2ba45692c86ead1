"""Strings of models typed from the Hub (engine.models.typed) and their downloads."""

ES = {
    "hub.model_input": "Modelo del Hub (opcional)",
    "hub.model_help": (
        "Cualquier modelo de esta tarea en el Hub de Hugging Face, como `organización/nombre` (cópialo de la "
        "lista de modelos del Hub, filtrada por tarea). Se comprueba antes de descargar nada: que exista, que sea "
        "de esta tarea, que no necesite código propio y que quepa. Sustituye al modelo de la lista; en el modo "
        "comparar se suma como un modelo más."
    ),
    "hub.model_placeholder": "p. ej. {example}",
    "hub.offline": "Sin conexión (VISION_OFFLINE): solo los modelos de la lista.",
    "hub.checked": "Del Hub: {model} · {size} MB · {params} M parámetros (licencia: mira su ficha)",
    "hub.compare_full": "Comparar admite {max} modelos: {model} ocupa el lugar de {dropped}.",
    "hub.downloading": "Descargando {model} del Hub · {file}: {done} de {total} MB · {speed} MB/s · {eta}",
    "hub.eta": "quedan ~{s} s",
    "hub.eta_unknown": "calculando el tiempo…",
    "errors.reason_bad_id": "un id de modelo del Hub es `organización/nombre`, con letras, dígitos, '-', '_' y '.'",
    "errors.reason_wrong_task": "es un modelo de {found}, no de {wanted} (su página: /{page})",
    "errors.reason_remote_code": (
        "necesita código de su propio repositorio ({detail}); la app nunca ejecuta el código de un modelo"
    ),
    "errors.reason_too_large": "su descarga pesa {size_mb} MB, más que el límite de {limit_mb} MB (VISION_MAX_MODEL_MB)",
    "errors.reason_too_much_memory": (
        "necesita unos {size_mb} MB, más de los {budget_mb} MB que comparten aquí todos los modelos"
    ),
}

EN = {
    "hub.model_input": "Hub model (optional)",
    "hub.model_help": (
        "Any model of this task on the Hugging Face Hub, as `organisation/name` (copy it from the Hub's model "
        "list, filtered by task). It is checked before anything is downloaded: that it exists, is of this task, "
        "needs no code of its own and fits. It replaces the model from the list; in compare mode it joins as one "
        "more model."
    ),
    "hub.model_placeholder": "e.g. {example}",
    "hub.offline": "Offline (VISION_OFFLINE): only the models of the list.",
    "hub.checked": "From the Hub: {model} · {size} MB · {params} M parameters (licence: see its card)",
    "hub.compare_full": "Compare takes {max} models: {model} takes the place of {dropped}.",
    "hub.downloading": "Downloading {model} from the Hub · {file}: {done} of {total} MB · {speed} MB/s · {eta}",
    "hub.eta": "~{s} s left",
    "hub.eta_unknown": "estimating the time…",
    "errors.reason_bad_id": "a Hub model id is `organisation/name`, in letters, digits, '-', '_' and '.'",
    "errors.reason_wrong_task": "it is a {found} model, not {wanted} (its page: /{page})",
    "errors.reason_remote_code": "it needs code from its repo ({detail}); the app never runs a model's own code",
    "errors.reason_too_large": "its download is {size_mb} MB, over the {limit_mb} MB limit (VISION_MAX_MODEL_MB)",
    "errors.reason_too_much_memory": "it needs about {size_mb} MB, more than the {budget_mb} MB all models share here",
}
