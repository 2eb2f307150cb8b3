"""The deadline scheduler: sweep, catch-up, ladders, notifications, e-mail, many schedulers."""
