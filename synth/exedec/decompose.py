"""ExeDec's training records per step: a program's ground-truth decomposition in execution space.

For a RobustFill program each expression is one step: (the inputs, the outputs still to produce,
this expression's outputs = the subgoal, the expression). For a DeepCoder program each statement
is one step: (the program state so far, the final outputs, this statement's values = the subgoal,
the statement). The subgoal and synthesizer models of ExeDec train on exactly these.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from synth.dsl.base import Program


@dataclass
class Step:
    #: what the step sees: RobustFill input strings, or one DeepCoder program state per example
    inputs: list
    #: the outputs still to produce (RobustFill) or the final outputs (DeepCoder)
    remaining: list
    #: the step's own outputs, one per example
    subgoal: list
    #: the step's program text (an expression, or a statement's right-hand side)
    code: str
    #: True for the last step
    last: bool


def robustfill_steps(program: Program, inputs: list[str]) -> list[Step]:
    d = program.domain
    var = program.inputs[0] if program.inputs else "x"
    remaining = [program(**{var: s}) for s in inputs]
    steps = []
    exprs = program.node.args
    for k, e in enumerate(exprs):
        outs = [d.evaluate(e, {var: s}) for s in inputs]
        steps.append(Step(list(inputs), list(remaining), outs, d.format(e), k == len(exprs) - 1))
        remaining = [r[len(o):] for r, o in zip(remaining, outs)]
    return steps


def deepcoder_steps(program: Program, inputs: list[dict[str, Any]]) -> list[Step]:
    from synth.dsl.deepcoder import statements_of
    d = program.domain
    states = [dict(i) for i in inputs]
    finals = [program.run(i) for i in inputs]
    steps = []
    sts = statements_of(program.node)
    for k, st in enumerate(sts):
        outs = [d.run_statement(st, s) for s in states]
        rhs = d.format(st).split(" = ", 1)[1]
        steps.append(Step([dict(s) for s in states], list(finals), outs, rhs, k == len(sts) - 1))
        for s, o in zip(states, outs):
            s[st.target] = o
    return steps


def steps(domain: str, program: Program, inputs: list) -> list[Step]:
    """The decomposition records of one program on its examples' inputs."""
    return robustfill_steps(program, inputs) if domain == "robustfill" else deepcoder_steps(program, inputs)
