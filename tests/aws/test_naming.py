from deploy.aws import limits, naming


def test_names_derive_from_the_prefix():
    assert naming.alb_name("dev") == "dev-alb"
    assert naming.target_group_name("prod", "web") == "prod-web-tg"
    assert naming.log_group_name("ecs-app", "prod", "web") == "/ecs/ecs-app/prod/web"


def test_physical_length_counts_pulumis_random_suffix():
    assert naming.physical_length("prod-web-tg") == len("prod-web-tg") + 8


def test_longest_service_name_fits_exactly_32_characters():
    longest = naming.max_service_name_length("prod")
    assert longest == 32 - 8 - len("prod--tg")
    assert naming.fits_lb_limit(naming.target_group_name("prod", "s" * longest))
    assert not naming.fits_lb_limit(naming.target_group_name("prod", "s" * (longest + 1)))
    assert limits.LB_NAME_MAX == 32


def test_the_dashboard_is_named_after_the_project_and_the_stack():
    assert naming.dashboard_name("ecs-app", "prod") == "ecs-app-prod"


def test_a_dashboard_name_keeps_only_what_put_dashboard_accepts_and_at_most_255_characters():
    assert naming.dashboard_name("ecs.app", "eu_west.staging") == "ecs-app-eu_west-staging"  # Pulumi allows `.`
    assert len(naming.dashboard_name("p", "s" * 300)) == naming.DASHBOARD_NAME_MAX == 255


def test_a_fifo_queue_name_counts_its_fifo_suffix_within_sqs_80_characters():
    # <component>-queue-<7 hex>.fifo: 80 - 8 - len("-queue.fifo") = 61 characters of component name.
    assert naming.max_component_length(naming.FIFO_QUEUE_NAMES) == 61
    assert naming.overflow("c" * 61, naming.FIFO_QUEUE_NAMES) is None
    assert naming.overflow("c" * 62, naming.FIFO_QUEUE_NAMES) == ("c" * 62 + "-queue.fifo", 80, "FIFO queue")


def test_the_task_role_names_bind_before_the_fifo_queue_names_do():
    # IAM's 64 characters leave a component 41 (`-execution-role`): a FIFO queue (61) never decides the limit.
    assert naming.max_component_length(naming.TASK_NAMES) == 41
    assert naming.max_component_length(naming.TASK_NAMES + naming.FIFO_QUEUE_NAMES) == 41
