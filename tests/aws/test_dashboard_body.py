"""The PutDashboard body check: what AWS's body reference requires beyond botocore's plain string."""

import json

import pytest

from deploy.aws.acceptance import dashboard_body

GOOD_METRIC = {"type": "metric", "x": 0, "y": 0, "width": 8, "height": 6,
               "properties": {"region": "us-east-1", "metrics": [["AWS/ECS", "CPUUtilization", "ClusterName", "c",
                                                                  {"stat": "Average"}], ["...", "MemoryUtilization"],
                                                                 [{"expression": "m1 * 2", "label": "double"}]]}}


def found(*widgets: object) -> list[str]:
    return list(dashboard_body.problems(json.dumps({"widgets": list(widgets)})))


def test_a_well_formed_body_passes():
    assert found(GOOD_METRIC, {"type": "alarm", "x": 0, "y": 6, "width": 24, "height": 3,
                               "properties": {"alarms": ["arn:aws:cloudwatch:us-east-1:1:alarm:a"]}}) == []
    assert dashboard_body.check(json.dumps({"widgets": []})) is None


def test_the_body_must_be_json_with_a_widgets_array():
    assert dashboard_body.check("{not json")[:12] == "must be JSON"
    assert dashboard_body.check("[]") == "must be a JSON object"
    assert dashboard_body.check("{}") == "must have a `widgets` array"


def test_an_unknown_body_is_not_judged():
    assert dashboard_body.check(None) is None


@pytest.mark.parametrize(("key", "value", "words"), [
    ("type", "graph", "widgets[0].type must be one of metric, text, log, alarm, explorer, custom (got 'graph')"),
    ("width", 25, "widgets[0].width must be a whole number from 1 to 24 (got 25)"),
    ("width", 0, "widgets[0].width must be a whole number from 1 to 24 (got 0)"),
    ("height", 1001, "widgets[0].height must be a whole number from 1 to 1000 (got 1001)"),
    ("x", 24, "widgets[0].x must be a whole number from 0 to 23 (got 24)"),
    ("y", -1, "widgets[0].y must be a whole number of at least 0 (got -1)"),
    ("x", None, "widgets[0].x must be a whole number from 0 to 23 (got None)"),
    ("width", 6.5, "widgets[0].width must be a whole number from 1 to 24 (got 6.5)"),
    ("properties", [], "widgets[0].properties must be an object"),
])
def test_each_widget_needs_its_type_its_place_on_the_grid_and_its_properties(key, value, words):
    widget = {**GOOD_METRIC, key: value}
    if value is None:
        del widget[key]
    assert words in found(widget)


@pytest.mark.parametrize(("row", "words"), [
    (["AWS/ECS"], "must start with a namespace and a metric name"),
    (["AWS/ECS", "CPUUtilization", "ClusterName"], "must pair every dimension name with a value"),
    (["AWS/ECS", "CPUUtilization", {"stat": "Average"}, "ClusterName", "c"], "options object, which comes last"),
    (["AWS/ECS", "CPUUtilization", "ClusterName", 7], "must hold strings"),
    ([{"label": "no expression"}], "or hold an `expression`"),
    ("AWS/ECS CPUUtilization", "must be a non-empty array"),
    (["AWS/X", "M", *["D", "v"] * 31], "at most 30 dimensions"),
])
def test_metric_rows_take_the_documented_form(row, words):
    widget = {**GOOD_METRIC, "properties": {"region": "us-east-1", "metrics": [row]}}
    (problem,) = found(widget)
    assert problem.startswith("widgets[0].properties.metrics[0] ") and words in problem


def test_a_metric_widget_names_its_region():
    widget = {**GOOD_METRIC, "properties": {"metrics": GOOD_METRIC["properties"]["metrics"]}}
    assert found(widget) == ["widgets[0].properties.region is required for a metric widget"]


@pytest.mark.parametrize("alarms", [[], None, ["a"] * 101, [""]])
def test_an_alarm_widget_lists_1_to_100_alarm_arns(alarms):
    widget = {"type": "alarm", "x": 0, "y": 0, "width": 24, "height": 3, "properties": {"alarms": alarms}}
    assert found(widget)[0].startswith("widgets[0].properties.alarms must be a list of 1 to 100 alarm ARNs")


def test_at_most_500_widgets_and_a_finding_names_three_problems_and_counts_the_rest():
    text = json.dumps({"widgets": [{"type": "metric"}] * 501})
    message = dashboard_body.check(text)
    assert message.startswith("must have at most 500 widgets (got 501); widgets[0].x must be")
    assert message.endswith("more)")
