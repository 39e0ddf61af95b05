"""pyvis as the views use it: the builder of vis-network's node and edge objects (the pages are our own
templates, so pyvis never writes a file)."""
from pyvis.network import Network as PyvisNetwork


class _IdList(list):
    """pyvis's list of node ids, answering `in` from a set. add_node (and add_edge, for both ends) asks
    whether an id is in the list, which made adding n nodes quadratic (13 s for the 39,000 nodes of 200
    plans). pyvis has no public way to index its ids: this list, set once on a new Network, is the one
    place the views touch its state; everything else goes through add_node, add_edge, get_node(s) and
    get_edges."""

    def __init__(self):
        super().__init__()
        self._ids = set()

    def append(self, node_id) -> None:
        super().append(node_id)
        self._ids.add(node_id)

    def __contains__(self, node_id) -> bool:
        return node_id in self._ids


def network(directed: bool) -> PyvisNetwork:
    """A pyvis Network used as a data builder only (it never writes a file: the page is ours)."""
    net = PyvisNetwork(directed=directed, cdn_resources="remote")
    net.node_ids = _IdList()
    return net


def nodes_and_edges(net: PyvisNetwork) -> tuple[list[dict], list[dict]]:
    """vis-network's node and edge objects, as pyvis built them."""
    return [net.get_node(node_id) for node_id in net.get_nodes()], net.get_edges()
