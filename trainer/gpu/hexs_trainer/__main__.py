import os
import sys
import time

from .main import main

code = main()
if os.environ.get("HEXS_HOLD_AFTER_EXIT") == "1":
    # On Akash an exited container is restarted, which would run the job again: the image sets
    # this so the container idles after its final line until the dApp closes the lease.
    print("HEXS job finished; idle until the lease is closed", flush=True)
    while True:
        time.sleep(3600)
sys.exit(code)
