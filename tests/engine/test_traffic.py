import numpy as np
import pytest

from app.engine.errors import ModelInputError
from app.engine.traffic import hourly_shape, max_peak_to_average


@pytest.mark.parametrize("shape,ratio", [("business_hours", 3.0), ("business_hours", 1.2), ("diurnal", 2.5),
                                         ("diurnal", 1.0), ("flat", 1.0)])
@pytest.mark.parametrize("hours", [730, 720, 168, 744])
def test_mean_is_one_and_peak_is_exact(shape, ratio, hours):
    series = hourly_shape(shape, ratio, hours)
    assert len(series) == hours
    assert series.mean() == pytest.approx(1.0, abs=1e-12)
    assert series.max() == pytest.approx(ratio, abs=1e-12)
    assert series.min() >= 0


def test_business_hours_by_hand():
    # One week (168 h): 5 days x 10 busy hours (08-18) = 50 busy hours, share f = 50/168.
    # With peak 3: busy hours = 3; quiet level L from 50*3 + 118*L = 168 -> L = 18/118.
    series = hourly_shape("business_hours", 3.0, 168)
    assert series[8] == pytest.approx(3.0)  # Monday 08:00
    assert series[7] == pytest.approx(18 / 118)  # Monday 07:00
    assert series[18] == pytest.approx(18 / 118)  # Monday 18:00
    assert series[5 * 24 + 12] == pytest.approx(18 / 118)  # Saturday noon
    # The largest reachable ratio puts the quiet hours at zero: 1/f = 168/50.
    assert max_peak_to_average("business_hours", 168) == pytest.approx(168 / 50)


def test_diurnal_peaks_at_14h():
    series = hourly_shape("diurnal", 2.0, 48)
    assert int(np.argmax(series[:24])) == 14


def test_unreachable_ratio_is_an_input_error():
    # 730 h = 4 weeks + Mon, Tue and Wed 00-10: 4*50 + 10 + 10 + 2 = 222 busy hours -> at most 730/222 = 3.29
    assert max_peak_to_average("business_hours", 730) == pytest.approx(730 / 222)
    with pytest.raises(ModelInputError, match=r"business_hours traffic shape reaches at most peak_to_average 3\.29"):
        hourly_shape("business_hours", 5.0, 730)


def test_flat_with_a_peak_is_an_input_error():
    with pytest.raises(ModelInputError, match="flat traffic shape has peak_to_average 1"):
        hourly_shape("flat", 2.0, 730)


def test_ratio_below_one_is_an_input_error():
    with pytest.raises(ModelInputError, match="at least 1"):
        hourly_shape("diurnal", 0.5, 730)
