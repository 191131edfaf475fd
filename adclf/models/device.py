"""Which device the model actor runs its models on: CUDA when Ray gave it a GPU and CUDA is
usable in the process, else the CPU; the reason is reported (`/diagnostics/device`)."""

from __future__ import annotations

from typing import Any


def pick_device() -> dict[str, Any]:
    import ray

    gpu_ids = [str(g) for g in ray.get_gpu_ids()]
    cuda = False
    names: list[str] = []
    # Only an actor Ray gave a GPU asks torch: elsewhere the device is the CPU whatever torch
    # says, and importing torch would cost the CPU actor ~300 MB it otherwise never loads.
    if gpu_ids:
        try:
            import torch

            cuda = bool(torch.cuda.is_available())
            names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] \
                if cuda else []
        except Exception:  # noqa: BLE001 - no torch: CPU
            cuda = False
    try:
        import onnxruntime

        providers = list(onnxruntime.get_available_providers())
    except Exception:  # noqa: BLE001
        providers = []
    if gpu_ids and cuda:
        device, reason = "cuda", f"Ray assigned GPU {','.join(gpu_ids)}"
    elif gpu_ids:
        device, reason = "cpu", (f"Ray assigned GPU {','.join(gpu_ids)} but CUDA is not usable "
                                 "in this process (torch.cuda.is_available() is false)")
    else:
        device, reason = "cpu", "no GPU on this node"
    ort_cuda = device == "cuda" and "CUDAExecutionProvider" in providers
    return {"device": device, "reason": reason, "gpu_ids": gpu_ids, "cuda_available": cuda,
            "gpus": names, "onnxruntime_providers": providers,
            "ocr_provider": "CUDAExecutionProvider" if ort_cuda else "CPUExecutionProvider",
            "torch_device": device}
