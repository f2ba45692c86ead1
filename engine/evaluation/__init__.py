"""Ground truth and metrics (detection: precision, recall, AP50, mAP50-95)."""
