"""Strings of what guides a student through slow or foreign parts: the photo shrunk up front, the
steps of a comparison or a batch (ui/steps.py), Streamlit's English widget texts and the camera's
HTTPS rule (ui/inputs.py), and the shareable link of a page's settings (ui/query.py)."""

from __future__ import annotations

ES = {
    "input.downscaled": (
        "Foto reducida de {width}×{height} a {w}×{h} píxeles para ir más rápido "
        "(los modelos no usan más de 1333 píxeles por lado)."
    ),
    "input.uploader_note": (
        "El recuadro de subida es de Streamlit y sale en inglés (no deja traducirlo): «Drag and drop file here» "
        "es «arrastra aquí el archivo», «Browse files», «elegir archivo», y «Limit {mb}MB per file», "
        "«hasta {mb} MB por archivo»."
    ),
    "input.camera_https": (
        "El navegador solo enciende la cámara si la página se abre por HTTPS o en localhost: si no arranca, "
        "revisa la dirección y el permiso de cámara del navegador. Sus textos («This app would like to use your "
        "camera», «Take Photo», «Clear photo») salen en inglés: Streamlit no deja traducirlos."
    ),
    "input.sample_placeholder": "Elige una foto",
    "common.pick_placeholder": "Elige uno o varios",
    "common.model_placeholder": "Elige un modelo",
    "steps.model": "Modelo {i} de {n}: {model}",
    "steps.models_done": "{n:# modelo listo|# modelos listos}",
    "steps.image": "Imagen {i} de {n}: {name}",
    "steps.images_done": "{n:# imagen leída|# imágenes leídas}",
    "link.hint": (
        "🔗 La dirección de esta página guarda sus ajustes (modelo, umbrales, etiquetas…): cópiala de la barra "
        "del navegador para compartir el ejercicio tal cual."
    ),
}

EN = {
    "input.downscaled": (
        "Photo reduced from {width}×{height} to {w}×{h} pixels to go faster (the models use at most 1333 pixels a side)."
    ),
    # Shown in Spanish only: in English, Streamlit's own words need no gloss.
    "input.uploader_note": "The upload box is Streamlit's, in English: «Limit {mb}MB per file».",
    "input.camera_https": (
        "Browsers only start the camera on pages opened over HTTPS or on localhost: if it does not start, check "
        "the address and the browser's camera permission."
    ),
    "input.sample_placeholder": "Choose a photo",
    "common.pick_placeholder": "Choose one or more",
    "common.model_placeholder": "Choose a model",
    "steps.model": "Model {i} of {n}: {model}",
    "steps.models_done": "{n:# model ready|# models ready}",
    "steps.image": "Image {i} of {n}: {name}",
    "steps.images_done": "{n:# image read|# images read}",
    "link.hint": (
        "🔗 This page's address keeps its settings (model, thresholds, labels…): copy it from the browser's "
        "address bar to share the exercise as it is."
    ),
}
