from django.db import migrations


def load(apps, schema_editor):
    from zhigong.core.regions import region_rows

    Region = apps.get_model("core", "Region")
    Region.objects.bulk_create(
        [Region(code=c, name=n, level=lvl, parent_id=p) for c, n, lvl, p in region_rows()],
        batch_size=1000,
    )


def unload(apps, schema_editor):
    apps.get_model("core", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
