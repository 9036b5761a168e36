"""Training, apart from inference: data generation (which runs searches) and the training loops
of the neural guide (``guide_data``, ``guide_train``) and of ExeDec's subgoal model
(``subgoal_train``). Inference reads the shipped weights through ``synth.neural`` and
``synth.exedec.subgoal_model`` and never imports this package; ``synth train`` (``synth.cli_train``)
runs it."""
