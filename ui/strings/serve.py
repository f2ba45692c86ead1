"""Strings of remote inference (a Ray Serve app, VISION_INFERENCE; engine.serving.remote)."""

ES = {
    "common.where_serve": "servidor de inferencia (Ray Serve)",
    "errors.serve_unreachable": (
        "No se puede conectar con el servidor de inferencia (Ray Serve) en {url}. ¿Está en marcha? "
        "Arráncalo con `make serve`, o quita VISION_INFERENCE para que esta app ejecute los modelos ella misma. "
        "Las páginas que no usan modelos siguen funcionando."
    ),
    "errors.serve_failed": (
        "El servidor de inferencia (Ray Serve) no ha podido responder con {model_id}, ni al reintentarlo. "
        "Vuelve a probar en unos segundos: Ray reinicia las réplicas que fallan."
    ),
    "errors.serve_no_model": (
        "El servidor de inferencia (Ray Serve) no sirve el modelo {model_id}. Arráncalo con ese modelo "
        '(`make serve SERVE_ARGS="--models {model_id}"`) o elige otro.'
    ),
    "errors.serve_bad_address": (
        "VISION_INFERENCE debe ser la dirección http:// del servidor de inferencia (por ejemplo "
        "http://127.0.0.1:8000); tiene {url}."
    ),
    "errors.serve_bad_request": "El servidor de inferencia no ha entendido la petición (¿versiones distintas de la app?).",
}

EN = {
    "common.where_serve": "inference server (Ray Serve)",
    "errors.serve_unreachable": (
        "Cannot connect to the inference server (Ray Serve) at {url}. Is it running? Start it with "
        "`make serve`, or unset VISION_INFERENCE to run the models in this app. Pages that use no model keep working."
    ),
    "errors.serve_failed": (
        "The inference server (Ray Serve) could not answer with {model_id}, not even on a retry. Try again in a "
        "few seconds: Ray restarts replicas that fail."
    ),
    "errors.serve_no_model": (
        "The inference server (Ray Serve) does not serve the model {model_id}. Start it with that model "
        '(`make serve SERVE_ARGS="--models {model_id}"`) or pick another one.'
    ),
    "errors.serve_bad_address": (
        "VISION_INFERENCE must be the http:// address of the inference server (for example "
        "http://127.0.0.1:8000); it is {url}."
    ),
    "errors.serve_bad_request": "The inference server did not understand the request (different app versions?).",
}
