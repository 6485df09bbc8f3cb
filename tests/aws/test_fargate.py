from deploy.aws import fargate


def test_quarter_vcpu_allows_exactly_three_sizes():
    assert fargate.memory_options(256) == (512, 1024, 2048)


def test_one_vcpu_allows_2_to_8_gib_in_1_gib_steps():
    assert fargate.memory_options(1024) == tuple(range(2048, 8193, 1024))


def test_eight_vcpu_steps_by_4_gib():
    options = fargate.memory_options(8192)
    assert options[0] == 16384 and options[-1] == 61440 and options[1] - options[0] == 4096


def test_sixteen_vcpu_steps_by_8_gib_up_to_120_gib():
    options = fargate.memory_options(16384)
    assert options[0] == 32768 and options[-1] == 122880 and options[1] - options[0] == 8192


def test_pairs_outside_the_table_are_rejected():
    assert not fargate.is_valid_size(256, 4096)
    assert not fargate.is_valid_size(512, 512)
    assert not fargate.is_valid_size(4096, 32768)
    assert not fargate.is_valid_size(300, 1024)


def test_every_cpu_value_has_options_and_cpu_700_has_none():
    assert all(fargate.memory_options(c) for c in fargate.CPU_VALUES)
    assert fargate.memory_options(700) == ()


def test_description_names_the_range():
    assert fargate.describe_memory_options(2048) == "4096 to 16384 in steps of 1024"
