"""What a refused model file is told: ModelLoadError, one sentence naming the file and the
problem, ending with what to do (ANOTHER)."""

from pathlib import Path

from game.contract import ModelContractError, check_shapes

# What to do about a model that is refused: said at the end of every refusal.
ANOTHER = "use another model file, such as the shipped assets/model.onnx"


class ModelLoadError(ValueError):
    """A model file that cannot be used; the message is one sentence naming file and problem."""


def check_model_shapes(path: Path, input_shape: tuple, output_shape: tuple) -> None:
    """The contract's shape check (game.contract), refused as a ModelLoadError naming the file."""
    try:
        check_shapes(input_shape, output_shape)
    except ModelContractError as error:
        raise ModelLoadError(f"The model {path} cannot be used: {error}; {ANOTHER}.") from None


def first_line(error: BaseException) -> str:
    """A runtime's error message cut to its first line, for the middle of a refusal."""
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line.rstrip(".")[:200]
