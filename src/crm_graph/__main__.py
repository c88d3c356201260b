"""`python -m crm_graph` is the `crm-graph` command."""

from crm_graph.cli import main

main()
