"""Write MODEL.npz beside MODEL.onnx, so the game runs the model in numpy (no ONNX Runtime).

Run it after a new model.onnx lands (training does it itself for the models it exports):

    python scripts/write_model_npz.py [assets/model.onnx]

The .npz is checked against ONNX Runtime before it is written; on a model whose layers the
numpy backend does not run it writes nothing, says why, and exits 1 (the game then keeps using
ONNX Runtime for that model).
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from training.onnx_weights import UnsupportedModel, write_npz  # noqa: E402


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else REPO / "assets" / "model.onnx"
    if path.suffix != ".onnx" or not path.is_file():
        print(f"{path} is not an .onnx file; give the path of the model to convert.")
        return 1
    try:
        target = write_npz(path)
    except UnsupportedModel as error:
        print(f"No .npz written for {path}: {error}.")
        return 1
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
