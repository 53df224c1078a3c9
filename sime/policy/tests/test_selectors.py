import pytest
from django.test import Client
from django.urls import reverse

from sime.policy.models import PolicyNode
from sime.policy.selectors import count_tree, policy_tree
from sime.policy.tests.factories import link, make_indicator, make_policy, make_tree

pytestmark = pytest.mark.django_db

SMALL = [2, 1, 4, 5]  # 52 nodes
LARGE = [5, 7, 7, 7]  # 2,000 nodes


def _policy_with(cast, counts):  # type: ignore[no-untyped-def]
    policy, levels = make_policy()
    nodes = make_tree(policy, levels, counts=counts, lead=cast.home, co=[cast.other])
    leaves = [n for n in nodes if n.level_id == levels[-1].pk]
    for index, leaf in enumerate(leaves[: len(leaves) // 3]):
        make_indicator(leaf, f"IND-{index}", cast.home)
    for source, target in zip(leaves[::7], nodes[1::11], strict=False):
        if source.pk != target.pk and source.level.depth > target.level.depth:
            link(source, target)
    return policy, nodes


def test_tree_sizes(cast) -> None:  # type: ignore[no-untyped-def]
    policy, nodes = _policy_with(cast, SMALL)
    assert len(nodes) == 52
    assert count_tree(policy_tree(policy)) == 52


def test_tree_filters_keep_ancestors(framework) -> None:  # type: ignore[no-untyped-def]
    tree = policy_tree(framework.policy, text="albergues")
    assert [item.node.code for item in tree] == ["1"]
    path = tree[0].children[0].children[0].children
    assert [(item.node.code, item.is_match) for item in path] == [("1.1.2", True)]
    assert tree[0].is_match is False
    by_institution = policy_tree(framework.policy, institution_id=framework.home.pk)
    leaves = by_institution[0].children[0].children[0].children
    assert [item.node.code for item in leaves] == ["1.1.1"]
    # MINGOB co-leads 1.1.1 and leads 1.1.2.
    leaves = policy_tree(framework.policy, institution_id=framework.other.pk)[0].children[0].children[0].children
    assert [item.node.code for item in leaves] == ["1.1.1", "1.1.2"]
    assert policy_tree(framework.policy, text="NO EXISTE") == []


def test_tree_search_ignores_accents_and_matches_codes(framework) -> None:  # type: ignore[no-untyped-def]
    codes = lambda tree: [i.node.code for i in tree[0].children[0].children[0].children]  # noqa: E731
    assert codes(policy_tree(framework.policy, text="RECEPCION")) == ["1.1.1"]
    assert codes(policy_tree(framework.policy, text="1.1.2")) == ["1.1.2"]


# Queries: session, user, her current designations (the permission rules, once), the navbar bell's unread
# count, the user's institution (header), policy, nodes, co-responsible, populations, form choices
# (institutions, populations, axes); then the sliding session's save (3).
@pytest.mark.parametrize("counts", [SMALL, LARGE], ids=["52-nodes", "2000-nodes"])
def test_tree_page_queries_do_not_grow(cast, counts, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    policy, nodes = _policy_with(cast, counts)
    client = Client()
    client.force_login(cast.technical)
    with django_assert_num_queries(15):
        response = client.get(reverse("policy:policy-tree", kwargs={"code": policy.code}))
    assert response.status_code == 200
    assert response.context["shown"] == len(nodes)


@pytest.mark.parametrize("counts", [SMALL, LARGE], ids=["52-nodes", "2000-nodes"])
def test_network_page_queries_do_not_grow(cast, counts, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    policy, _nodes = _policy_with(cast, counts)
    client = Client()
    client.force_login(cast.analyst)
    # session, user, the navbar bell's unread count, policy, nodes, links, session save (3).
    with django_assert_num_queries(9):
        response = client.get(reverse("policy:policy-network", kwargs={"code": policy.code}))
    assert response.status_code == 200
    assert len(response.context["links"]) > 0


@pytest.mark.parametrize("counts", [SMALL, LARGE], ids=["52-nodes", "2000-nodes"])
def test_commitments_page_queries_do_not_grow(cast, counts, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    _policy_with(cast, counts)
    client = Client()
    client.force_login(cast.planning)
    # session, user, her current designations, the navbar bell's unread count, institution, actions, their
    # co-responsible, indicators, their targets, session save (3).
    with django_assert_num_queries(12):
        response = client.get(reverse("policy:commitments"))
    assert response.status_code == 200
    assert len(response.context["actions"]) == PolicyNode.objects.filter(level__is_action_level=True).count()


def test_tree_and_commitments_carry_co_responsible_as_lists(framework, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from sime.policy.selectors import commitments

    tree = policy_tree(framework.policy)
    action = tree[0].children[0].children[0].children[0].action
    with django_assert_num_queries(0):  # a list, not a manager that builds a queryset per action
        assert [inst.acronym for inst in action.co_responsible_list] == ["MINGOB"]
    actions = commitments(framework.other)["actions"]
    with django_assert_num_queries(0):
        assert {a.node.code: [i.acronym for i in a.co_responsible_list] for a in actions} == {
            "1.1.1": ["MINGOB"],
            "1.1.2": [],
        }
