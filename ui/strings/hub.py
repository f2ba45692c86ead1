"""Strings of models typed from the Hub (engine.models.typed) and their downloads."""

ES = {
    "errors.reason_bad_id": "un id de modelo del Hub es <organización>/<nombre>, con letras, dígitos, '-', '_' y '.'",
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
    "errors.reason_bad_id": "a Hub model id is <organisation>/<name>, in letters, digits, '-', '_' and '.'",
    "errors.reason_wrong_task": "it is a {found} model, not {wanted} (its page: /{page})",
    "errors.reason_remote_code": "it needs code from its repo ({detail}); the app never runs a model's own code",
    "errors.reason_too_large": "its download is {size_mb} MB, over the {limit_mb} MB limit (VISION_MAX_MODEL_MB)",
    "errors.reason_too_much_memory": "it needs about {size_mb} MB, more than the {budget_mb} MB all models share here",
}
