def test_login_page_renders_in_dutch(client):
    response = client.get("/inloggen")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="nl"' in html
    assert "Inloggen bij Levensloop" in html
