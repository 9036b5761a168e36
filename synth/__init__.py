"""synth: programming by example. Give input/output examples, get a small program in a DSL.

>>> import synth
>>> res = synth.synthesize([({"name": "Jane Doe"}, "J. Doe"), ({"name": "Mark Twain"}, "M. Twain")],
...                        domain="strings", timeout=10)
>>> str(res.program)                              # doctest: +SKIP
'CONCATENATE(LEFT(name, 1), ...)'
"""
from synth.api import fits, load_tasks, solve, synthesize
from synth.bench import solve_many
from synth.dsl import available_domains, get_domain
from synth.dsl.base import Program
from synth.errors import (EvaluationError, InconsistentExamples, InvalidArgument, InvalidBudget,
                          InvalidTask, NoProgramInDSL, ProgramSyntaxError, SynthError,
                          SynthesisTimeout, UnknownDomain, UnknownOp, VerificationUnknown)
from synth.result import Result
from synth.session import Prediction, Session
from synth.search.budget import Budget
from synth.task import Example, Task

__version__ = "0.1.0"

__all__ = ["Budget", "EvaluationError", "Example", "InconsistentExamples", "InvalidArgument",
           "InvalidBudget", "InvalidTask",
           "NoProgramInDSL", "Prediction", "Program", "ProgramSyntaxError", "Result", "Session", "SynthError",
           "SynthesisTimeout", "Task", "UnknownDomain", "UnknownOp", "VerificationUnknown",
           "available_domains", "fits", "get_domain", "load_tasks", "solve", "solve_many", "synthesize"]
