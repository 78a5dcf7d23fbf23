"""Stage 1: content/ -> the model. Every YAML file read, validated and cross-checked once
(`check_content`), into plain objects the later stages only read."""
