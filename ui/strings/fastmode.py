""" "Modo rápido" strings: the toggle, the comparison with fp32 and why a CPU cannot run it."""

ES = {
    "fastmode.toggle": "Modo rápido",
    "fastmode.help": (
        "Ejecuta el modelo con números más cortos (bf16 o int8) y muestra, al lado, cuánto tarda frente a "
        "fp32 y cuánto se parecen los resultados. Apagado, la página da exactamente el resultado del pipeline."
    ),
    "fastmode.unsupported": "Modo rápido no disponible: este procesador no tiene instrucciones bf16 ni int8 que torch pueda usar.",
    "fastmode.not_for_model": "El modo rápido no está disponible para {model}: solo para los modelos cargados en este servidor.",
    "fastmode.not_this_model": (
        "El modo rápido aún no está disponible para {model}: solo para los clasificadores, los detectores, la "
        "segmentación, la profundidad, CLIP en zero-shot y la red de Pictionary."
    ),
    "fastmode.preparing": "Preparando el modo rápido de {model} (copia en {modes} y medición)…",
    "fastmode.none_faster": (
        "En este procesador ningún modo rápido es más rápido que fp32 para {model}: se muestra el resultado fp32."
    ),
    "fastmode.result": "Resultado en modo rápido ({mode})",
    "fastmode.time": "Tiempo por imagen: **{fast_ms:.1f} ms** en {mode} frente a **{fp32_ms:.1f} ms** en fp32 (×{speedup:.2f}).",
    "fastmode.memory": "Memoria extra para la copia {mode}: {mb:.1f} MB.",
    "fastmode.top1_same": "La clase principal es **la misma** que en fp32.",
    "fastmode.top1_differs": "La clase principal **cambia** respecto a fp32.",
    "fastmode.max_diff": "Mayor diferencia de probabilidad en el top-{k}: **{diff:.2f} puntos**.",
    "fastmode.boxes": (
        "Cajas: **{fast}** en {mode}, **{fp32}** en fp32; emparejadas (IoU ≥ 0,5, misma clase): **{matched}**, "
        "IoU medio **{iou:.3f}**."
    ),
    "fastmode.pixels": "Píxeles con la misma clase que en fp32: **{share:.2%}**.",
    "fastmode.depth": (
        "Mapa frente al de fp32: correlación **{corr:.4f}** (1 = siguen igual), diferencia media **{diff:.2%}** "
        "del rango de valores."
    ),
    "fastmode.depth_caption": "Mapa de profundidad en modo rápido ({mode})",
    "fastmode.labels_same": "Las mismas clases que en fp32.",
    "fastmode.labels_differ": "Las clases **no coinciden** con las de fp32.",
    "fastmode.explain_bf16": (
        "**bf16** guarda cada número en 16 bits en lugar de 32: el mismo rango que fp32 pero unas 3 cifras "
        "significativas en vez de 7. El procesador hace el doble de operaciones por instrucción; el precio son "
        "probabilidades algo distintas y una copia del modelo en memoria."
    ),
    "fastmode.explain_int8": (
        "**int8** guarda los pesos de las capas lineales como enteros de 8 bits (256 valores por capa) y "
        "cuantiza las activaciones al vuelo: cuatro veces menos memoria para esos pesos y cálculo entero más "
        "rápido; el precio es un redondeo más grueso que el de bf16."
    ),
    "fastmode.clip_time": (
        "Los dos tiempos son una pasada entera de CLIP: la imagen y las frases de las etiquetas codificadas "
        "desde cero, sin reutilizar ningún embedding (el tiempo de arriba puede reutilizarlos)."
    ),
    "deliverable.set_mode": "Modo numérico (modo rápido)",
    "errors.fast_remote": "El modo rápido solo funciona con modelos cargados en este servidor.",
    "errors.fast_unsupported": "Este modelo no tiene modo rápido.",
}

EN = {
    "fastmode.toggle": "Fast mode",
    "fastmode.help": (
        "Runs the model with shorter numbers (bf16 or int8) and shows, next to it, how long it takes against "
        "fp32 and how close the results are. Off, the page gives exactly the pipeline's result."
    ),
    "fastmode.unsupported": "Fast mode is not available: this CPU has no bf16 or int8 instructions torch can use.",
    "fastmode.not_for_model": "Fast mode is not available for {model}: only for models loaded on this server.",
    "fastmode.not_this_model": (
        "Fast mode is not available for {model} yet: only for the classifiers, the detectors, segmentation, "
        "depth, CLIP zero-shot and the Pictionary network."
    ),
    "fastmode.preparing": "Preparing {model}'s fast mode (a {modes} copy, and timing it)…",
    "fastmode.none_faster": "On this CPU no fast mode is faster than fp32 for {model}: the fp32 result is shown.",
    "fastmode.result": "Fast mode result ({mode})",
    "fastmode.time": "Time per image: **{fast_ms:.1f} ms** in {mode} against **{fp32_ms:.1f} ms** in fp32 (×{speedup:.2f}).",
    "fastmode.memory": "Extra memory for the {mode} copy: {mb:.1f} MB.",
    "fastmode.top1_same": "The top class is **the same** as in fp32.",
    "fastmode.top1_differs": "The top class **changes** from fp32's.",
    "fastmode.max_diff": "Largest probability difference in the top {k}: **{diff:.2f} points**.",
    "fastmode.boxes": (
        "Boxes: **{fast}** in {mode}, **{fp32}** in fp32; matched (IoU ≥ 0.5, same class): **{matched}**, "
        "mean IoU **{iou:.3f}**."
    ),
    "fastmode.pixels": "Pixels given the same class as in fp32: **{share:.2%}**.",
    "fastmode.depth": (
        "Map against fp32's: correlation **{corr:.4f}** (1 = they move together), mean difference **{diff:.2%}** "
        "of the range of values."
    ),
    "fastmode.depth_caption": "Depth map in fast mode ({mode})",
    "fastmode.labels_same": "The same classes as in fp32.",
    "fastmode.labels_differ": "The classes **do not match** fp32's.",
    "fastmode.explain_bf16": (
        "**bf16** stores each number in 16 bits instead of 32: the same range as fp32 but about 3 significant "
        "digits instead of 7. The CPU does twice the operations per instruction; the price is slightly "
        "different probabilities and one more copy of the model in memory."
    ),
    "fastmode.explain_int8": (
        "**int8** stores the linear layers' weights as 8-bit integers (256 values per layer) and quantizes "
        "the activations on the fly: four times less memory for those weights and faster integer maths; the "
        "price is coarser rounding than bf16's."
    ),
    "fastmode.clip_time": (
        "Both times are a whole CLIP pass: the image and the labels' sentences encoded from scratch, no "
        "embedding reused (the time above may reuse them)."
    ),
    "deliverable.set_mode": "Numeric mode (fast mode)",
    "errors.fast_remote": "Fast mode only works with models loaded on this server.",
    "errors.fast_unsupported": "This model has no fast mode.",
}
