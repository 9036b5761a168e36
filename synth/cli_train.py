"""``synth train``: train the neural guides (``synth train guide --domain strings``).

Register in the main CLI with ``main.add_command(train)``; until then run
``python -m synth.cli_train guide ...``. Progress goes to stderr; the final metadata (validation
metrics, time, samples/s) is printed as JSON on stdout.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from synth.errors import SynthError
from synth.exedec import SPLITS

#: domains that have a guide to train
GUIDE_DOMAINS = ("strings",)


def _hidden_widths(hidden: str) -> tuple[int, ...]:
    """``--hidden 64,64`` as widths, or a SynthError naming the problem."""
    try:
        widths = tuple(int(h) for h in hidden.split(",") if h.strip())
    except ValueError:
        raise SynthError(f"--hidden must be comma-separated integers, got {hidden!r}") from None
    if not widths or min(widths) < 1:
        raise SynthError(f"--hidden must list positive widths, got {hidden!r}")
    return widths


def _check_device(device: str) -> None:
    """Training needs torch (an optional extra: inference runs on numpy alone)."""
    try:
        import torch
    except ImportError:
        raise SynthError("training needs torch, which is not installed: pip install 'synth[train]' "
                         "(first pip install torch==2.13.0 for the CPU build)") from None
    if device == "cuda":
        if not torch.cuda.is_available():
            raise SynthError("--device cuda: no CUDA device is available to torch here; use --device cpu")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def train() -> None:
    """Train neural guides for the search."""


@train.command()
@click.option("--domain", type=click.Choice(GUIDE_DOMAINS), default="strings", show_default=True,
              help="domain whose guide to train")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True,
              help="torch device for training (inference always runs on CPU, without torch)")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="folder for the data cache, checkpoint.pt, the weights and their JSON metadata "
                   "[default: ~/.cache/synth/train/DOMAIN]")
@click.option("--searches", type=click.IntRange(min=2), default=300, show_default=True,
              help="synthetic bottom-up searches to draw training data from")
@click.option("--targets", "targets_per_search", type=click.IntRange(min=1), default=40, show_default=True,
              help="random target programs per synthetic search")
@click.option("--max-values", type=click.IntRange(min=100), default=20_000, show_default=True,
              help="values each synthetic search explores (its bank size)")
@click.option("--epochs", type=click.IntRange(min=1), default=8, show_default=True)
@click.option("--batch-size", type=click.IntRange(min=1), default=512, show_default=True)
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=2e-3, show_default=True)
@click.option("--embed", type=click.IntRange(min=1), default=2, show_default=True,
              help="embedding size of each signature entry")
@click.option("--hidden", default="64,64", show_default=True, help="hidden layer widths, comma-separated")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="processes generating data")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True,
              help="torch CPU threads")
@click.option("--resume/--fresh", default=True, show_default=True,
              help="continue from OUT/checkpoint.pt when its settings match")
@click.option("--install", is_flag=True, help="copy the best weights into the package (synth/neural/weights)")
def guide(domain, device, out, searches, targets_per_search, max_values, epochs, batch_size, lr,
          embed, hidden, seed, jobs, threads, resume, install) -> None:
    """Train the value-scoring guide of guided search (BUSTLE) on synthetic data."""
    try:
        from synth.neural.models import GuideConfig
        from synth.training.guide_train import TrainSettings, train_guide

        widths = _hidden_widths(hidden)
        _check_device(device)
        st = TrainSettings(domain=domain, searches=searches, targets_per_search=targets_per_search,
                           max_values=max_values, seed=seed, epochs=epochs,
                           batch_size=batch_size, lr=lr, config=GuideConfig(embed=embed, hidden=widths),
                           device=device, jobs=jobs, threads=threads)
        out_dir = Path(out) if out else Path.home() / ".cache" / "synth" / "train" / domain
        meta = _run_with_progress(st, out_dir, resume, install)
    except SynthError as e:
        click.echo(f"synth: error: {e}", err=True)
        sys.exit(2)
    summary = {k: meta[k] for k in ("domain", "config", "data", "best_epoch", "validation", "training")}
    click.echo(json.dumps(summary, indent=1))


def _run_with_progress(st, out: Path, resume: bool, install: bool) -> dict:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from synth.training.guide_train import train_guide

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.fields[info]}"), console=console) as bar:
        data_task = bar.add_task("synthetic searches", total=st.searches, info="")
        epoch_task = bar.add_task("training", total=st.epochs, visible=False, info="")
        step_task = bar.add_task("  steps", total=1, visible=False, info="")

        def on_data(done: int) -> None:
            bar.update(data_task, completed=done)

        def on_step(epoch: int, step: int, info: dict) -> None:
            bar.update(epoch_task, visible=True, completed=epoch + (1 if "done" in info else 0))
            bar.update(step_task, visible=True, total=info["steps"], completed=step)
            if "done" in info:
                v = info["done"]["val"]
                bar.update(epoch_task, info=f"val loss {v['loss']:.4f}  auc {v['auc']:.4f}  "
                                           f"{info['done']['samples_per_s']} samples/s")

        meta = train_guide(st, out, resume=resume, install=install, data_progress=on_data,
                           step_progress=on_step)
        bar.update(data_task, completed=st.searches)
    return meta


@train.command()
@click.option("--domain", type=click.Choice(["robustfill", "deepcoder"]), required=True)
@click.option("--split", type=click.Choice(list(SPLITS)),
              required=True, help="ExeDec split whose training distribution to draw programs from")
@click.option("--device", type=click.Choice(["cpu", "cuda"]), default="cpu", show_default=True)
@click.option("--programs", type=click.IntRange(min=10), default=600, show_default=True,
              help="training programs to generate")
@click.option("--epochs", type=click.IntRange(min=1), default=30, show_default=True)
@click.option("--hidden", default="64,64", show_default=True, help="hidden layer widths, comma-separated")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="processes generating data")
@click.option("--rf-seconds", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="RobustFill: seconds of piece enumeration per training program")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="folder for the checkpoint [default: ~/.cache/synth/train/subgoal_DOMAIN_SPLIT]")
@click.option("--install", is_flag=True, help="copy the best weights into the package (synth/neural/weights)")
def subgoal(domain, split, device, programs, epochs, hidden, seed, jobs, rf_seconds, out, install) -> None:
    """Train the ExeDec subgoal model of one (domain, split) on that split's training programs."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from synth.training.subgoal_train import SubgoalSettings, train_subgoal
    try:
        widths = _hidden_widths(hidden)
        _check_device(device)
        st = SubgoalSettings(domain=domain, split=split, programs=programs, epochs=epochs,
                             hidden=widths, seed=seed, device=device, rf_seconds=rf_seconds)
        out_dir = Path(out) if out else Path.home() / ".cache" / "synth" / "train" / f"subgoal_{domain}_{split}"
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), TextColumn("{task.fields[info]}"),
                      console=Console(stderr=True)) as bar:
            data_task = bar.add_task("training programs", total=programs, info="")
            epoch_task = bar.add_task("epochs", total=epochs, info="")

            def on_epoch(epoch: int, h: dict) -> None:
                bar.update(epoch_task, completed=epoch,
                           info=f"loss {h['train_loss']:.3f}  val top1 {h['val']['top1']:.3f}  "
                                f"top5 {h['val']['top5']:.3f}")

            meta = train_subgoal(st, out_dir, install=install, jobs=jobs,
                                 data_progress=lambda n: bar.update(data_task, completed=n),
                                 epoch_progress=on_epoch)
    except SynthError as e:
        click.echo(f"synth: error: {e}", err=True)
        sys.exit(2)
    summary = {k: meta[k] for k in ("domain", "split", "data", "best_epoch", "validation", "training")}
    click.echo(json.dumps(summary, indent=1))


if __name__ == "__main__":
    train()
