"""Official documents: templates (shipped and units' own), the context they are rendered with, generation, PDF
conversion, numbering and the draft -> approve -> issue flow."""
