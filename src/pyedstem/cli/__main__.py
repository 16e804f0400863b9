"""Run ``edstem`` as ``python -m pyedstem.cli``."""

from pyedstem.cli import main

main()
