import os
import sys

# The entry runs with hexs_trainer beside it, as the image lays them out (gateway/vllm/Dockerfile).
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "trainer", "gpu"))
sys.path.insert(0, os.path.dirname(here))
