"""Brand logo recognition by silhouette against the Simple Icons gallery plus user logos."""

from adclf.pipeline.logos.gallery import GalleryMissing, LogoGallery
from adclf.pipeline.logos.matcher import GalleryMatcher, best_per_brand

__all__ = ["GalleryMatcher", "GalleryMissing", "LogoGallery", "best_per_brand"]
