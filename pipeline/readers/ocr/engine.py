"""The OCR engine: RapidOCR (PP-OCRv6 det/rec + PP-OCR cls) on onnxruntime.

Why this wrapper exists:
- The models must come from the wheel, never from the network. RapidOCR looks for its default
  models by name and downloads them when they are missing; we pass the paths of the files the
  pinned wheel ships (rapidocr==3.10.0 bundles PP-OCRv6 det/rec small and the mobile cls model), so
  the download branch is never reached and a missing file is a clear error instead of a fetch.
- We need the steps one by one, not the public det → cls → rec call: the page reader (`pages`)
  detects lines once at a reduced size (`detect`: where the lines are, which way they run, and
  enough to find a page's orientation), asks the direction classifier about a sample of them only
  (`classify`), and recognises crops of the straightened page (`recognise_crops`).
- Recognition is batched by width without the engine's 320-pixel floor: the public call pads every
  crop of a batch to at least 48×320, so a table cell holding "12" costs as much as a line of
  prose. Padding to the batch's own widest crop (and at least MIN_REC_RATIO) reads the same text
  at less than half the cost on a table page. Wide crops (prose lines) are read one by one, which
  onnxruntime does cheaper per crop than in a padded batch (`_batches`).
- Low-scoring lines are kept (`text_score` 0): inside a table a doubtful number must surface with
  its low confidence, not vanish into a blank cell. Callers filter text outside tables.

The engine is an object, `OcrEngine`, made for the run's options (`for_options`: its thread
count, Options.ocr_thread_count, cores ÷ workers when several processes OCR at once; 0 leaves
onnxruntime its default of every core) and passed down the OCR path (pages → orient, assign).
Loading the models costs ~0.5 s, so each process keeps one engine per thread count
(`engine_for`); onnxruntime on CPU is deterministic for a fixed thread count. Everything that
reaches into RapidOCR beyond its public API is in its adapter, pipeline/readers/engines/rapidocr.py.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.readers.engines import rapidocr

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"

# Settings shared by our pipeline and the benchmark's bare engine, so both do the same work.
ENGINE_PARAMS = {
    "Global.log_level": "error",
    "Global.text_score": 0.0,
}

# Session settings of our engine only (the benchmark's bare engine keeps RapidOCR's): the memory
# arena keeps the buffers of one inference for the next instead of allocating them again, which
# costs less on the detector's large pages (RapidOCR turns it off by default).
SESSION_PARAMS = {"EngineConfig.onnxruntime.enable_cpu_mem_arena": True}

REC_HEIGHT = 48        # px: the recogniser's input height
REC_BATCH = 6          # crops per recognition batch at most (more only pads more) …
BATCH_WIDTH = 600      # … and px of padded width at most: wider crops are read alone (_batches)
MIN_REC_RATIO = 2.0    # a crop is padded to at least twice its height: a lone "0" padded only to a
                       # square reads as "O" now and then, given room it reads 0.99


class EngineUnavailable(ImportError):
    """rapidocr / onnxruntime is not installed, or its bundled models are missing. An ImportError,
    so that callers treating "OCR not installed" as an import failure handle it too."""


@dataclass(eq=False)
class Word:
    """One detected text line: its quadrilateral in image pixels (tl, tr, br, bl), the recognised
    text, the recogniser's confidence, and whether its crop was read turned by 180°."""
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


def models_dir() -> Path:
    try:
        return rapidocr.package_dir() / "models"
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise EngineUnavailable(f"rapidocr is not installed: {e}") from e


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


class OcrEngine:
    """RapidOCR's models on `threads` onnxruntime threads (0: onnxruntime's default), and the
    steps the page reader runs with them. The models load on first use; readers take the
    process's engine for their options (`for_options`) rather than making one each."""

    def __init__(self, threads: int = 0):
        self.threads = int(threads or 0)
        params = {**engine_params(self.threads), **SESSION_PARAMS}
        try:
            self.models = rapidocr.Models(params)
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise EngineUnavailable(f"rapidocr is not installed: {e}") from e

    def recognise_crops(self, crops: list) -> list:
        """Recognition only (no detection) of BGR crops → [(text, score)], in the order given.

        Crops are sorted by width and read in batches (`_batches`), each padded to its own
        widest crop (see the module docstring); a crop's own pixels are scaled exactly as the
        engine does."""
        if not crops:
            return []
        import cv2

        ratios = [max(c.shape[1], 1) / max(c.shape[0], 1) for c in crops]
        order = np.argsort(np.array(ratios), kind="stable")
        out = [("", 0.0)] * len(crops)
        for idx in _batches(order, ratios):
            widest = max(max(ratios[i] for i in idx), MIN_REC_RATIO)
            width = int(np.ceil(REC_HEIGHT * widest))
            batch = np.zeros((len(idx), 3, REC_HEIGHT, width), dtype=np.float32)
            for k, i in enumerate(idx):
                w = max(1, min(width, int(np.ceil(REC_HEIGHT * ratios[i]))))
                img = cv2.resize(_bgr(crops[i]), (w, REC_HEIGHT)).astype(np.float32)
                batch[k, :, :, :w] = (img.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
            lines = self.models.recognise(batch, [ratios[i] for i in idx], widest)
            for k, i in enumerate(idx):
                text, score = lines[k]
                out[i] = (text.strip(), float(score))
        return out

    def detect(self, img: np.ndarray, long_side: int) -> np.ndarray:
        """Text line quadrilaterals (N×4×2, tl tr br bl, in pixels of `img`) found by the
        detector on the image reduced to `long_side` pixels (never enlarged). Where the lines
        are, and which way they run, needs far fewer pixels than reading them: a line 30 px high
        at 200 dpi is still 12 px high at a long side of 960."""
        import cv2

        h, w = img.shape[:2]
        f = min(1.0, long_side / max(h, w))
        small = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else img
        boxes = self.models.detect(np.ascontiguousarray(small), max(small.shape[:2]))
        if boxes is None or len(boxes) == 0:
            return np.zeros((0, 4, 2), dtype=np.float64)
        return np.asarray(boxes, dtype=np.float64) / f

    def classify(self, crops: list) -> list:
        """The direction classifier's verdict on each crop: [(turned by 180°, its score)]."""
        if not crops:
            return []
        return [("180" in str(label), float(score))
                for label, score in self.models.classify([_bgr(c) for c in crops])]

    @staticmethod
    def crop(img: np.ndarray, quad: np.ndarray) -> np.ndarray:
        """The image under a detected quadrilateral, straightened to a rectangle along the line
        (the engine's own crop, which also turns a tall crop a quarter counter-clockwise)."""
        return rapidocr.crop(img, np.asarray(quad, dtype=np.float32).copy())


_engines = {}
_engines_lock = threading.Lock()


def engine_for(threads: int = 0) -> OcrEngine:
    """This process's engine for `threads`, made on the first request for that count: one set
    of models per process and setting, and a request with another count gets its own engine.
    Never made in a parent before it forks its workers (the run does not OCR there), where
    onnxruntime could not start sessions safely in the children."""
    threads = int(threads or 0)
    with _engines_lock:
        engine = _engines.get(threads)
        if engine is None:
            engine = _engines[threads] = OcrEngine(threads)
    return engine


def for_options(options) -> OcrEngine:
    """The engine for a run's options (pipeline.core.options.Options: its OCR thread count)."""
    return engine_for(options.ocr_thread_count)


def _batches(order, ratios) -> list:
    """Crop indices (narrowest first) grouped into batches: up to REC_BATCH crops, while the
    batch stays within BATCH_WIDTH px. onnxruntime reads a batch of narrow crops a little cheaper
    than one by one, but a batch of wide ones costs more per crop than each alone (a prose line
    of 768 px: 85 ms a line in sixes, 70 ms alone), so a wide crop is read on its own."""
    batches, cur = [], []
    for i in order:
        width = REC_HEIGHT * max(ratios[i], MIN_REC_RATIO)   # the widest so far: sorted by width
        if cur and (len(cur) >= REC_BATCH or (len(cur) + 1) * width > BATCH_WIDTH):
            batches.append(cur)
            cur = []
        cur.append(i)
    if cur:
        batches.append(cur)
    return batches


def _bgr(crop: np.ndarray) -> np.ndarray:
    import cv2
    if crop.ndim == 2:
        return cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR)
    return crop
