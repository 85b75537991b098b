"""`python -m pipeline.generator OUT_DIR --truth TRUTH_DIR`: see `pipeline.generator.main`."""
import sys

from . import main

sys.exit(main())
