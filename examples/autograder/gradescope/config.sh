# What run_autograder checks, and how: edit for the assignment.
PROTOCOL=capitalizer
# How the student's server starts, from their submission's folder (HOST and PORT are in its environment).
SERVER="python3 tcpserver.py"
# homework (what the course asked), full (every rule), or a rubric file in this folder.
RUBRIC=homework
# The most the check may take, in seconds; the limits the student's server runs under.
MAX_TIME=600
LIMITS="--spawn-memory 1024 --spawn-cpu 300 --spawn-file-size 64"
# Anything else sockspec check takes (--only, --exclude, --runs ...).
EXTRA_ARGS=""
