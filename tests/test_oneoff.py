from polybrief.oneoff import RichReporter


def test_a_stage_with_nothing_to_do_is_done_at_once_and_its_clock_stops():
    reporter = RichReporter()
    reporter.start("translate sentences", 0)
    reporter.start("brief stories", 2)
    tasks = {task.description: task for task in reporter.progress.tasks}
    assert tasks["translate sentences"].finished
    assert not tasks["brief stories"].finished
    reporter.advance("brief stories", 2)
    assert tasks["brief stories"].finished
    assert reporter.where() == "after brief stories"
