"""Process diagrams: the model -> Graphviz graph step is pure (views.py); rendering calls `dot` (render.py)."""
