"""rapidocr and onnxruntime adapter: RapidOCR's detector, classifier and recogniser, one step at a time.

Why: RapidOCR's public call runs det → cls → rec over a whole image, pads every recognition crop
to 320 px and asks the classifier about every line. The page reader (readers/ocr) runs the steps
itself: it detects once at a reduced size, asks the classifier about a sample of lines and
recognises crops in batches padded to their own widest crop. RapidOCR has no public API for
that: its models are loaded by `RapidOCR._load_det_model` / `_load_cls_model` / `_load_rec_model`,
the detector's size limit is an attribute set before each call, and recognition is the
recogniser's onnxruntime session followed by its CTC decoder. All of that is here, in `Models`,
and only here. RapidOCR's configuration keys (documented) are used as they are; `Models` checks
that each key it is given exists in the installed rapidocr's own configuration, since RapidOCR
takes an unknown key silently.

Versions: rapidocr is pinned to the release whose wheel bundles the models the reader names
(readers/ocr/engine.py) and onnxruntime to the one the outputs were verified with.
"""
from __future__ import annotations

import dataclasses
import inspect
import threading
from pathlib import Path

from pipeline.readers.engines import EngineChanged, Supported, changed, checker, has

SUPPORTED = (Supported("rapidocr", "3.10.0"), Supported("onnxruntime", "1.32.0"))

# what the adapter uses of each loaded model, and of the outputs of the detector and classifier
DETECTOR = ("limit_type", "limit_side_len", "session", "__call__")
CLASSIFIER = ("session", "__call__")
RECOGNISER = ("session", "postprocess_op")
OUTPUTS = (("rapidocr.ch_ppocr_det", "TextDetOutput", "boxes"),
           ("rapidocr.ch_ppocr_cls", "TextClsOutput", "cls_res"))


def package_dir() -> Path:
    """Where rapidocr is installed (its bundled models are in `models/` there)."""
    import rapidocr
    return Path(rapidocr.__file__).resolve().parent


class Models:
    """One RapidOCR instance made with `params` (RapidOCR's configuration keys): its models, loaded
    on first use, and the steps the page reader runs. Calls into a model hold a lock: one set of
    models serves one call at a time (the detector's size limit is set on the model per call)."""

    def __init__(self, params: dict):
        from rapidocr import RapidOCR  # an ImportError when rapidocr or onnxruntime is not installed

        check()
        _verify_keys(params)
        self._ocr = RapidOCR(params=params)
        self._lock = threading.Lock()
        self._loaded = {}

    def _model(self, task: str, parts: tuple):
        model = self._loaded.get(task)
        if model is None:
            model = getattr(self._ocr, f"_load_{task}_model")()
            missing = has(model, *parts)
            if missing:
                raise _changed(f"its {task} model: {missing}")
            self._loaded[task] = model
        return model

    def detect(self, img, side: int):
        """The detector's line quadrilaterals on `img` (at most `side` px on its long side, as
        given), or None when it found none."""
        det = self._model("det", DETECTOR)
        with self._lock:
            det.limit_type, det.limit_side_len = "max", side
            out = det(img)
        return out.boxes

    def classify(self, crops: list) -> list:
        """The direction classifier's [(label, score)] for each crop, in order."""
        cls = self._model("cls", CLASSIFIER)
        with self._lock:
            out = cls(crops)
        return list(out.cls_res)

    def recognise(self, batch, ratios: list, widest: float) -> list:
        """[(text, score)] for a batch (N×3×48×W float32, normalised as the recogniser expects) of
        crops with these width/height ratios, the batch padded to the `widest`."""
        rec = self._model("rec", RECOGNISER)
        with self._lock:
            preds = rec.session(batch)
        lines, _ = rec.postprocess_op(preds, False, wh_ratio_list=ratios, max_wh_ratio=widest)
        return lines

    def threads(self) -> dict:
        """onnxruntime's intra-op thread count of each loaded model's session ({} before any
        model is loaded; 0 is onnxruntime's default, every core)."""
        out = {}
        for task, model in sorted(self._loaded.items()):
            session = getattr(model.session, "session", None)
            if session is None or not hasattr(session, "get_session_options"):
                raise _changed(f"its {task} model's session holds no onnxruntime InferenceSession")
            out[task] = session.get_session_options().intra_op_num_threads
        return out


def crop(img, quad):
    """The image under a detected quadrilateral (float32 4×2), straightened to a rectangle along
    the line: RapidOCR's own crop, which turns a tall crop a quarter counter-clockwise."""
    check()
    from rapidocr.utils.process_img import get_rotate_crop_image
    return get_rotate_crop_image(img, quad)


# -- what the adapter relies on ------------------------------------------------------------------

def _changed(what: str) -> EngineChanged:
    return changed(__name__, SUPPORTED[0], what)


def _loaders_missing():
    from rapidocr import RapidOCR
    return has(RapidOCR, "_load_det_model", "_load_cls_model", "_load_rec_model")


def _crop_moved():
    from rapidocr.utils import process_img
    missing = has(process_img, "get_rotate_crop_image")
    if missing:
        return missing
    params = list(inspect.signature(process_img.get_rotate_crop_image).parameters)
    return None if len(params) == 2 else f"get_rotate_crop_image takes {params}, not (img, points)"


def _outputs_changed():
    import importlib
    for module, name, field in OUTPUTS:
        output = getattr(importlib.import_module(module), name, None)
        if output is None:
            return f"{module} has no {name}"
        if field not in {f.name for f in dataclasses.fields(output)}:
            return f"{name} has no field {field}"
    return None


EXPECTATIONS = (
    ("RapidOCR's model loaders", _loaders_missing),
    ("RapidOCR's crop", _crop_moved),
    ("the detector's and classifier's outputs", _outputs_changed),
)


check = checker(__name__, SUPPORTED, EXPECTATIONS)
_config = []


def _verify_keys(params: dict) -> None:
    """Every key of `params` names a setting of the installed rapidocr's configuration."""
    if not _config:
        import yaml
        _config.append(yaml.safe_load((package_dir() / "config.yaml").read_text(encoding="utf-8")))
    unknown = []
    for key in params:
        node = _config[0]
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                unknown.append(key)
                break
            node = node[part]
    if unknown:
        raise _changed(f"its configuration has no {', '.join(unknown)}")
