import os
import sys

# Tests import the package from its folder, as `python -m hexs_trainer` runs it there.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Nothing in the tests may reach a real hub.
os.environ["HF_HUB_OFFLINE"] = "1"
