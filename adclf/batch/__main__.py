import sys

from adclf.batch.driver import main

sys.exit(main())
