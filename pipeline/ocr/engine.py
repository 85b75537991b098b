"""The OCR engine: RapidOCR (PP-OCRv6 det/rec + PP-OCR cls) on onnxruntime.

Why this wrapper exists:
- The models must come from the wheel, never from the network. RapidOCR looks for its default
  models by name and downloads them when they are missing; we pass the paths of the files the
  pinned wheel ships (rapidocr==3.10.0 bundles PP-OCRv6 det/rec small and the mobile cls model), so
  the download branch is never reached and a missing file is a clear error instead of a fetch.
- We need more than the public call returns: the text-direction classifier's verdict per line
  (0° / 180°) tells us whether a page is upside down or sideways, so `read` runs the engine's
  own det → cls → rec steps and keeps that verdict with each word. The verdict is wrong now and
  then on short upright lines (科研, 尚未), so a turned line that reads badly is read again unturned.
- Low-scoring lines are kept (`text_score` 0): inside a table a doubtful number must surface with
  its low confidence, not vanish into a blank cell. Callers filter text outside tables.

One engine per process (models load once, ~1 s); onnxruntime on CPU is deterministic for a
fixed thread count. The run's options say how many threads it may use (`use_threads`, from
Options.ocr_thread_count: cores ÷ workers when several processes OCR at once); 0 leaves
onnxruntime its default of every core.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

# Settings shared by our pipeline and the benchmark's bare engine, so both do the same work.
ENGINE_PARAMS = {
    "Global.log_level": "error",
    "Global.text_score": 0.0,
}

# A line the classifier turned by 180° that then reads below this is read again unturned.
REREAD_TURNED = 0.9

_lock = threading.Lock()


class EngineUnavailable(ImportError):
    """rapidocr / onnxruntime is not installed, or its bundled models are missing. An ImportError,
    so that callers treating "OCR not installed" as an import failure handle it too."""


@dataclass(eq=False)
class Word:
    """One detected text line: its quadrilateral in image pixels (tl, tr, br, bl), the recognised
    text, the recogniser's confidence, and whether the classifier turned the crop by 180°."""
    quad: np.ndarray
    text: str
    score: float
    flipped: bool = False

    @property
    def box(self) -> tuple:
        xs, ys = self.quad[:, 0], self.quad[:, 1]
        return (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))

    @property
    def centre(self) -> tuple:
        return (float(self.quad[:, 0].mean()), float(self.quad[:, 1].mean()))

    @property
    def size(self) -> tuple:
        """(length along the text's baseline, height across it), from the quad's edges."""
        q = self.quad
        w = max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[3] - q[2]))
        h = max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2]))
        return float(w), float(h)

    def transformed(self, m: np.ndarray) -> "Word":
        """The same word with its quad mapped through the 3×3 matrix `m`."""
        pts = np.hstack([self.quad, np.ones((4, 1))]) @ m.T
        return Word(pts[:, :2] / pts[:, 2:3], self.text, self.score, self.flipped)


def models_dir() -> Path:
    try:
        import rapidocr
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise EngineUnavailable(f"rapidocr is not installed: {e}") from e
    return Path(rapidocr.__file__).resolve().parent / "models"


def engine_params(threads: int = 0) -> dict:
    """Engine settings with explicit paths to the bundled models (no download path)."""
    d = models_dir()
    paths = {"Det.model_path": d / DET_MODEL, "Rec.model_path": d / REC_MODEL,
             "Cls.model_path": d / CLS_MODEL}
    missing = [p.name for p in paths.values() if not p.is_file()]
    if missing:
        raise EngineUnavailable(f"the rapidocr wheel lacks its bundled models {missing}; "
                                "install the pinned rapidocr version")
    params = {**ENGINE_PARAMS, **{k: str(v) for k, v in paths.items()}}
    if threads > 0:
        # Parallel workers that each OCR should share the cores, not each take them all.
        for task in ("intra_op_num_threads", "inter_op_num_threads"):
            params[f"EngineConfig.onnxruntime.{task}"] = int(threads)
    return params


_threads = 0
_engine = None


def use_threads(threads: int) -> None:
    """Set the thread count of this process's engine (from the run's options). It takes effect
    when the engine is made: one engine per process, and never a second one in a forked worker,
    where onnxruntime cannot start new sessions safely once its parent has run one."""
    global _threads
    _threads = int(threads or 0)


def get_engine():
    """The process-wide RapidOCR instance (models load on first use)."""
    global _engine
    if _engine is None:
        try:
            from rapidocr import RapidOCR
        except ImportError as e:  # pragma: no cover
            raise EngineUnavailable(f"rapidocr is not installed: {e}") from e
        _engine = RapidOCR(params=engine_params(_threads))
    return _engine


def reset_engine() -> None:
    """Forget this process's engine (tests that measure a cold start)."""
    global _engine
    _engine = None


def read(img: np.ndarray) -> list:
    """Detect, classify and recognise every text line of a BGR image → [Word]."""
    from rapidocr.utils.process_img import map_boxes_to_original

    eng = get_engine()
    with _lock:
        eng.update_params(use_det=True, use_cls=True, use_rec=True)
        prepared, record = eng.preprocess_img(img)
        det, cls, rec, crops = eng.run_ocr_steps(prepared, record)
    if det.boxes is None or rec.txts is None or len(det.boxes) == 0:
        return []
    boxes = map_boxes_to_original(np.array(det.boxes, dtype=np.float64), record,
                                  img.shape[0], img.shape[1])
    labels = cls.cls_res or [("0", 0.0)] * len(boxes)
    thresh = float(eng.cfg.Cls.cls_thresh)
    reads = [(t.strip(), float(s), "180" in str(label) and lscore > thresh)
             for t, s, (label, lscore) in zip(rec.txts, rec.scores, labels)]
    _unturn_doubtful(reads, crops)
    return [Word(np.asarray(quad, dtype=np.float64), text, score, flipped)
            for quad, (text, score, flipped) in zip(boxes, reads) if text]


def _unturn_doubtful(reads: list, crops: list) -> None:
    """The classifier turns some short upright lines by 180° (科研, 尚未 in table headers), and
    the turned crop then reads as nothing: a doubtful reading of a turned line is redone on the
    crop as detected, and the better of the two kept, with its orientation."""
    redo = [i for i, (_, score, flipped) in enumerate(reads) if flipped and score < REREAD_TURNED]
    for i, (text, score) in zip(redo, recognise_crops([crops[i] for i in redo])):
        if score > reads[i][1]:
            reads[i] = (text, score, False)


def recognise_crops(crops: list) -> list:
    """Recognition only (no detection) of BGR crops → [(text, score)]. Used for table cells that
    show ink where detection found no line."""
    if not crops:
        return []
    from rapidocr.ch_ppocr_rec import TextRecInput

    eng = get_engine()
    with _lock:
        out = eng._load_rec_model()(TextRecInput(img=list(crops), return_word_box=False))
    return [(t.strip(), float(s)) for t, s in zip(out.txts or (), out.scores or ())]
