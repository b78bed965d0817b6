"""ComfyUI: the ``prompt`` chunk (the executed graph, node id -> class_type and inputs) and
the ``workflow`` chunk (the editor's graph, with a ``nodes`` list) that ComfyUI writes into
PNGs. Text prompts are CLIPTextEncode nodes; the sampler node's ``positive``/``negative``
inputs say which is which (an input wired to another node is ``[node id, output index]``).
"""
from __future__ import annotations

import json

from .generation import Generation

SAMPLERS = ("KSampler", "KSamplerAdvanced", "SamplerCustom")
PARAMS = ("seed", "noise_seed", "steps", "cfg", "sampler_name", "scheduler", "denoise")


class NotComfy(ValueError):
    pass


def _text_of(graph: dict, ref) -> str:
    if isinstance(ref, list) and ref and str(ref[0]) in graph:
        node = graph[str(ref[0])]
        text = node.get("inputs", {}).get("text")
        if isinstance(text, str):
            return text
    return ""


def parse(prompt_chunk: str, workflow_chunk: str = "") -> Generation:
    try:
        graph = json.loads(prompt_chunk)
    except ValueError as exc:
        raise NotComfy(f"the 'prompt' chunk is not JSON ({exc})") from None
    if not isinstance(graph, dict) or not all(isinstance(n, dict) and "class_type" in n for n in graph.values()):
        raise NotComfy("the 'prompt' chunk is not a ComfyUI graph (nodes with class_type)")
    gen = Generation(tool="ComfyUI")
    for node in graph.values():
        inputs = node.get("inputs", {})
        if node["class_type"] in SAMPLERS:
            gen.prompt = gen.prompt or _text_of(graph, inputs.get("positive"))
            gen.negative = gen.negative or _text_of(graph, inputs.get("negative"))
            gen.params.update({k: inputs[k] for k in PARAMS if k in inputs and not isinstance(inputs[k], list)})
        elif "ckpt_name" in inputs:
            gen.params["ckpt_name"] = inputs["ckpt_name"]
    if not gen.prompt:  # no sampler wired to a text node: take the text nodes in id order
        texts = [n["inputs"]["text"] for _, n in sorted(graph.items())
                 if isinstance(n.get("inputs", {}).get("text"), str)]
        gen.prompt = texts[0] if texts else ""
    nodes = len(graph)
    if workflow_chunk:
        try:
            nodes = len(json.loads(workflow_chunk).get("nodes", [])) or nodes
        except (ValueError, AttributeError):
            pass
    gen.nodes = nodes
    return gen
